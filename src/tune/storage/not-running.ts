// The one storage error the trial loop handles itself: "this trial is no longer running by you" (reaped meanwhile).

/** The `code` every storage puts on the error it throws when a worker reports on, heartbeats or finishes a trial it no longer holds. */
export const TRIAL_NOT_RUNNING = 'TRIAL_NOT_RUNNING';

/**
 * Whether `e` says the trial is not running by this worker (journal, memory and PostgreSQL storages alike).
 * @example isTrialNotRunning(Object.assign(new Error('reaped'), { code: TRIAL_NOT_RUNNING })) // true
 */
export function isTrialNotRunning(e: unknown): boolean {
  return e instanceof Error && (e as { code?: unknown }).code === TRIAL_NOT_RUNNING;
}
