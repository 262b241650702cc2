// The autograd recording switch: ops record graph nodes while it is on (noGrad/withGrad turn it off and on).
let gradEnabled = true;

/** True while ops are recorded for autograd. @example isGradEnabled() // true outside noGrad */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/**
 * Runs `fn` without recording the graph (inference, parameter updates).
 * @example const y = noGrad(() => model.forward(x));
 */
export function noGrad<T>(fn: () => T): T {
  return withGrad(false, fn);
}

/** Runs `fn` with recording switched on or off, restoring the previous mode afterwards. @example withGrad(true, () => loss.backward()) */
export function withGrad<T>(enabled: boolean, fn: () => T): T {
  const prev = gradEnabled;
  gradEnabled = enabled;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}
