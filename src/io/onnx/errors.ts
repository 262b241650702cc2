// The error importOnnx throws for a model it cannot run: unsupported ops, types, attributes, truncated or malformed files.

/**
 * A model (or its input) that importOnnx cannot read or run faithfully. The message starts with
 * `importOnnx:` and names the node, op, attribute, initializer or input at fault.
 * @example try { importOnnx(bytes) } catch (e) { if (e instanceof OnnxImportError) console.error(e.message) }
 */
export class OnnxImportError extends Error {
  constructor(message: string) {
    super(`importOnnx: ${message}`);
    this.name = 'OnnxImportError';
  }
}
