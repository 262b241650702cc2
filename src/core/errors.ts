// Error types and message helpers: every failure names the op, the shapes or values, and what to do.

/** Formats a shape as `[2,3]`, the form every error message uses. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

/** Raised when tensor shapes do not fit an op; the message starts with the op name. */
export class ShapeError extends Error {
  constructor(op: string, message: string) {
    super(`${op}: ${message}`);
    this.name = 'ShapeError';
  }
}

/** Raised for an invalid argument (non-finite number, bad axis, bad option); names the op. */
export class ArgumentError extends Error {
  constructor(op: string, message: string) {
    super(`${op}: ${message}`);
    this.name = 'ArgumentError';
  }
}

/** Throws an ArgumentError unless `cond` holds. */
export function check(cond: boolean, op: string, message: () => string): asserts cond {
  if (!cond) throw new ArgumentError(op, message());
}
