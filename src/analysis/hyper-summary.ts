// `neurite summary` for a hypernetwork: the generator and embeddings (trained), the target (generated), and the compression ratio.
import type { Tensor } from '../tensor/tensor.js';
import type { Module } from '../nn/module.js';
import type { HyperNetwork } from '../hyper/index.js';
import { layerRows } from './layer-rows.js';

const fmtN = (n: number): string => n.toLocaleString('en-US');
const row = (name: string, shape: string, params: string): string => `${name.padEnd(34)}${shape.padEnd(20)}${params.padStart(12)}\n`;

/**
 * The summary table of a HyperNetwork for inputs of `width` features: generator layers and
 * embeddings with their trainable counts, the target's layers with the counts generated for them,
 * and the compression ratio (trainable / generated).
 * @example io.out(hyperSummary(bundle.module, 64))   // ... compression ratio: 0.666 (1,604 trainable / 2,410 generated)
 */
export function hyperSummary(hyper: HyperNetwork, width: number): string {
  hyper.eval();
  const c = hyper.opts.condition, plan = hyper.plan;
  const line = '─'.repeat(66) + '\n';
  const genRows = c.kind === 'input' ? (plan ? 'N·C' : 'N') : plan ? String(plan.chunks) : '1';
  const genIn = hyper.generator.layers[0] as Module & { inFeatures?: number };
  let out = `hypernetwork: ${c.kind} conditioning (dim ${c.dim})${plan ? `, ${plan.chunks} chunks of ${plan.size}${plan.padding ? ` (last ${plan.padding} dropped)` : ''}` : ', all weights at once'}\n`;
  out += row('layer', 'output shape', 'params') + line;
  out += `generator (trained)\n`;
  out += row('  input', `[${genRows}, ${genIn.inFeatures ?? '?'}]`, '0');
  for (const [name, shape, p] of layerRows(hyper.generator, genIn.inFeatures ?? 1, genRows)) out += row(`  ${name}`, shape, fmtN(p));
  const ps = hyper.params;
  for (const [key, label] of [['taskEmbeddings', 'task embedding'], ['chunkEmbeddings', 'chunk embeddings']] as const) {
    const t = ps[key] as Tensor | undefined;
    if (t) out += row(`  ${label}`, `[${t.shape.join(', ')}]`, fmtN(t.size));
  }
  out += line + `target (generated${c.kind === 'input' ? ' per example' : ''})\n`;
  const tw = c.kind === 'input' ? width - c.dim : width;
  out += row('  input', `[N, ${tw}]`, '0');
  for (const [name, shape, p] of layerRows(hyper.target, tw, 'N')) out += row(`  ${name}`, shape, fmtN(p));
  out += line;
  out += `trainable parameters: ${fmtN(hyper.numParams())}\ngenerated target parameters: ${fmtN(hyper.targetCount())}\n`;
  out += `compression ratio: ${hyper.compressionRatio().toFixed(3)} (${fmtN(hyper.numParams())} trainable / ${fmtN(hyper.targetCount())} generated)\n`;
  return out;
}
