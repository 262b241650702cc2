// Argument checks shared by the optimizers and schedules: every message names the function, the field and value.
import { ArgumentError } from '../core/errors.js';
import { checkOptions } from '../core/options.js';

/** Throws unless `value` is a finite number > 0. @example positive('adam', 'lr', 1e-3) */
export function positive(fn: string, field: string, value: number): number {
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
    throw new ArgumentError(fn, `${field} must be a positive finite number, got ${String(value)}`);
  }
  return value;
}

/** Throws unless `value` is a finite number ≥ 0. @example nonNegative('sgd', 'momentum', 0.9) */
export function nonNegative(fn: string, field: string, value: number): number {
  if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
    throw new ArgumentError(fn, `${field} must be a non-negative finite number, got ${String(value)}`);
  }
  return value;
}

/** Throws unless 0 ≤ value < 1 (decay rates such as Adam's betas). @example unitInterval('adam', 'betas[0]', 0.9) */
export function unitInterval(fn: string, field: string, value: number): number {
  if (!(typeof value === 'number' && value >= 0 && value < 1)) {
    throw new ArgumentError(fn, `${field} must be in [0, 1), got ${String(value)}`);
  }
  return value;
}

/** Throws unless `value` is an integer ≥ `min`. @example integer('stepLR', 'stepSize', 3, 1) */
export function integer(fn: string, field: string, value: number, min: number): number {
  if (!(Number.isInteger(value) && value >= min)) {
    throw new ArgumentError(fn, `${field} must be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

/**
 * Rejects option keys the function does not know (typos in configs fail loudly); see core/options.ts.
 * @example knownKeys('sgd', opts, ['lr', 'momentum'])
 */
export function knownKeys(fn: string, opts: object, known: readonly string[]): void {
  checkOptions(fn, opts, known);
}
