// One ONNX NodeProto as importOnnx sees it: its label for errors and typed attribute readers.
import { OnnxAttributeType, type OnnxMessage } from './proto.js';
import { OnnxImportError } from './errors.js';
import { tensorFromProto, type Value } from './values.js';

/** The fields of a NodeProto that importOnnx reads. */
export interface OnnxNode {
  name?: string;
  op_type: string;
  domain?: string;
  input: string[];
  output: string[];
  attribute: OnnxMessage[];
}

/**
 * How errors name a node: `node "conv1" (Conv)`, or by position and first output when unnamed.
 * @example nodeLabel({ op_type: 'Relu', input: ['x'], output: ['y'], attribute: [] }, 3)   // 'node #3 (Relu → "y")'
 */
export function nodeLabel(node: OnnxNode, index: number): string {
  return node.name ? `node "${node.name}" (${node.op_type})` : `node #${index} (${node.op_type} → "${node.output[0] ?? ''}")`;
}

const typeOfField: Record<number, string> = {
  [OnnxAttributeType.FLOAT]: 'f', [OnnxAttributeType.INT]: 'i', [OnnxAttributeType.STRING]: 's', [OnnxAttributeType.TENSOR]: 't',
  [OnnxAttributeType.FLOATS]: 'floats', [OnnxAttributeType.INTS]: 'ints', [OnnxAttributeType.STRINGS]: 'strings',
};

/**
 * Typed reads of a node's attributes; a wrong type or a bad value is an error naming the node and
 * the attribute.
 * @example
 * const node = { name: 'fc', op_type: 'Gemm', input: ['x', 'w'], output: ['y'], attribute: [] };
 * new NodeAttrs(node, nodeLabel(node, 0)).float('alpha', 1)   // 1: absent, so the default
 */
export class NodeAttrs {
  private readonly byName = new Map<string, OnnxMessage>();

  constructor(node: OnnxNode, readonly label: string) {
    for (const a of node.attribute) this.byName.set(String(a.name), a);
  }

  /** Names of all attributes present. */
  names(): string[] {
    return [...this.byName.keys()];
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** An error naming this node and one attribute. */
  error(name: string, message: string): OnnxImportError {
    return new OnnxImportError(`${this.label}: attribute "${name}" ${message}`);
  }

  private get(name: string, type: number): unknown {
    const a = this.byName.get(name);
    if (a === undefined) return undefined;
    const field = typeOfField[type]!;
    const t = Number(a.type ?? 0);
    // Old exporters leave `type` unset; accept the field that is present then.
    if (t !== 0 && t !== type) throw this.error(name, `has type ${t}, expected ${field}`);
    return a[field];
  }

  int(name: string, fallback: number): number {
    const v = this.get(name, OnnxAttributeType.INT);
    return v === undefined ? fallback : Number(v);
  }

  float(name: string, fallback: number): number {
    const v = this.get(name, OnnxAttributeType.FLOAT);
    return v === undefined ? fallback : Number(v);
  }

  ints(name: string): number[] | undefined {
    const v = this.get(name, OnnxAttributeType.INTS) as number[] | undefined;
    return v === undefined ? undefined : v.map(Number);
  }

  floats(name: string): number[] | undefined {
    const v = this.get(name, OnnxAttributeType.FLOATS) as number[] | undefined;
    return v === undefined ? undefined : v.map(Number);
  }

  string(name: string, fallback: string): string {
    const v = this.get(name, OnnxAttributeType.STRING) as Uint8Array | undefined;
    return v === undefined ? fallback : new TextDecoder().decode(v);
  }

  strings(name: string): string[] | undefined {
    const v = this.get(name, OnnxAttributeType.STRINGS) as Uint8Array[] | undefined;
    return v?.map((s) => new TextDecoder().decode(s));
  }

  tensor(name: string): Value | undefined {
    const v = this.get(name, OnnxAttributeType.TENSOR) as OnnxMessage | undefined;
    return v === undefined ? undefined : tensorFromProto(v, `${this.label} attribute "${name}"`);
  }

  /** A string attribute that must be one of `allowed`. */
  choice<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const v = this.string(name, fallback);
    if (!(allowed as readonly string[]).includes(v)) throw this.error(name, `is "${v}"; neurite supports ${allowed.map((s) => `"${s}"`).join(', ')}`);
    return v as T;
  }
}
