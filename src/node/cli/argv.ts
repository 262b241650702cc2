// Subcommand argument parsing: documented flags, `--help`, nearest-flag suggestions, negative values.
import { editDistance } from '../../core/options.js';
import { parseArgs } from 'node:util';

/** One documented flag of a subcommand. */
export interface FlagSpec { type: 'string' | 'boolean'; doc: string; value?: string; default?: string; short?: string; multiple?: boolean }

/** A subcommand's usage line(s), flags and one example, for `--help` and usage errors. */
export interface CommandSpec { name: string; usage: string; about: string; flags: Record<string, FlagSpec>; example: string }

/** A command line the command cannot accept (unknown flag, missing value): exit status 2. */
export class UsageError extends Error {
  constructor(message: string, readonly command: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * The candidate nearest to `word` (a prefix match or within a third of its length in edits), or null.
 * @example nearest('epoch', ['epochs', 'lr']); // 'epochs'
 */
export function nearest(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null, bestD = Infinity;
  for (const c of candidates) {
    const d = c.startsWith(word) || word.startsWith(c) ? Math.abs(c.length - word.length) * 0.5 : editDistance(word, c);
    if (d < bestD) { best = c; bestD = d; }
  }
  return best !== null && bestD <= Math.max(2, Math.ceil(word.length / 3)) ? best : null;
}

const NUMERIC = /^-(\d|\.\d)/;

/** `--flag -1` → `--flag=-1` for string flags, so a negative number is a value, not an unknown option. */
function joinNegativeValues(argv: string[], flags: Record<string, FlagSpec>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!, next = argv[i + 1];
    const name = a.startsWith('--') ? a.slice(2) : null;
    if (name !== null && !name.includes('=') && flags[name]?.type === 'string' && next !== undefined && NUMERIC.test(next)) { out.push(`${a}=${next}`); i++; }
    else out.push(a);
  }
  return out;
}

/** The usage errors of node:util's parseArgs, rewritten to name the flag and suggest the nearest known one. */
function usageError(e: Error & { code?: string }, spec: CommandSpec): UsageError {
  const flag = /'(-[^' ]+)/.exec(e.message)?.[1] ?? '';
  const hint = `run neurite ${spec.name} --help`;
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const near = nearest(flag.replace(/^-+/, '').split('=')[0]!, Object.keys(spec.flags));
    return new UsageError(`${spec.name}: unknown option '${flag}'${near ? `; did you mean --${near}?` : ''} (${hint})`, spec.name);
  }
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && /argument missing/.test(e.message)) {
    return new UsageError(`${spec.name}: ${flag} needs a value (${spec.flags[flag.replace(/^-+/, '')]?.value ?? 'VALUE'}) (${hint})`, spec.name);
  }
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && /does not take an argument/.test(e.message)) {
    return new UsageError(`${spec.name}: ${flag.split('=')[0]} is a switch and takes no value (${hint})`, spec.name);
  }
  if (e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return new UsageError(`${spec.name}: unexpected argument ${/'([^']*)'/.exec(e.message)?.[1] ?? ''}; every value follows its --flag (${hint})`, spec.name);
  return new UsageError(`${spec.name}: ${e.message} (${hint})`, spec.name);
}

/**
 * Parses a subcommand's arguments against its spec (plus --help/-h); usage mistakes throw UsageError.
 * @example const v = parseCommand(spec, ['--model', 'runs/a']); // { model: 'runs/a' }
 */
export function parseCommand(spec: CommandSpec, argv: string[]): Record<string, string | boolean | string[] | undefined> {
  const options = Object.fromEntries(Object.entries(spec.flags).map(([k, f]) => [k, { type: f.type, ...(f.short ? { short: f.short } : {}), ...(f.multiple ? { multiple: true } : {}) }]));
  try {
    const { values } = parseArgs({ args: joinNegativeValues(argv, spec.flags), options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false });
    return values as Record<string, string | boolean | string[] | undefined>;
  } catch (e) {
    const err = e as Error & { code?: string };
    if (err.code?.startsWith('ERR_PARSE_ARGS')) throw usageError(err, spec);
    throw e;
  }
}

/**
 * `--help` text: usage, what the command does, one line per flag with its default, and an example.
 * @example io.out(formatHelp(evalSpec));
 */
export function formatHelp(spec: CommandSpec, extra = ''): string {
  const rows = Object.entries(spec.flags).map(([k, f]) => {
    const left = `  ${f.short ? `-${f.short}, ` : ''}--${k}${f.type === 'string' ? ` ${f.value ?? 'VALUE'}` : ''}`;
    return `${left.padEnd(28)} ${f.doc}${f.default !== undefined ? ` (default: ${f.default})` : ''}`;
  });
  rows.push(`${'  -h, --help'.padEnd(28)} this help`);
  return `usage: ${spec.usage}\n\n${spec.about}\n\nflags:\n${rows.join('\n')}\n${extra}\nexample:\n  ${spec.example}\n`;
}
