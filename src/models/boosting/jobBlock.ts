// The control block HistogramThread and its worker share, and the ops a job can be: one place for
// the layout both threads read (runHistogramJob runs a job on either thread).

/** Slots of the control block shared with the worker (Int32 each). */
export const CTRL = {
  /** The number of the last job posted (the worker waits for it to change). */
  posted: 0,
  /** The number of the last job finished (by the worker, or by the fit's thread when it took the job back). */
  done: 1,
  /** 1 once the worker has its kernels and waits for jobs. */
  ready: 2,
  /** 1 when a job threw in the worker. */
  failed: 3,
  op: 4,
  /** Integer arguments of the job (from 0), then of its split scan (from SCAN_AT). */
  args: 5,
  /**
   * The number of the last job claimed: whichever thread moves it from job − 1 to job (by
   * compareExchange) runs the job, so a worker that is not running when the fit's thread is
   * done with its own half never makes that thread wait; the fit's thread runs the job itself.
   */
  claim: 21,
  size: 24,
} as const;

/** What a job does before it scans (see runHistogramJob). */
export const OP = { gradients: 1, root: 2, node: 3, subtract: 4, nodeRows: 5, exit: 9 } as const;

/** Where a job's scan arguments start among its integer arguments: C, nBins, hIdx, out (0: no scan). */
export const SCAN_AT = 12;

/** Doubles of a job's split scan: G, H, m, λ, minSamplesLeaf, minHessian. */
export const SCAN_DOUBLES = 6;

/**
 * Polls of the control block before a waiting thread sleeps (some tens of microseconds): the
 * next job or its end usually comes sooner, and a sleeping thread takes about as long to wake;
 * past it the thread sleeps, leaving the core to V8's garbage collector and compiler threads.
 */
const SPINS = 20_000;

/** Polls until ctrl[slot] is no longer `value` or the polls run out; true when it still is (then sleep). */
export function spinWhile(ctrl: Int32Array, slot: number, value: number): boolean {
  for (let k = 0; k < SPINS; k++) if (Atomics.load(ctrl, slot) !== value) return false;
  return true;
}
