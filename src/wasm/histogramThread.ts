import { Worker } from "node:worker_threads";
import type { ArenaArray, KernelArena } from "./KernelArena.js";

/** Slots of the control block shared with the worker (Int32 each). */
export const CTRL = { state: 0, ready: 1, args: 2, size: 16 } as const;
/** ctrl[state]: nothing to do, a job is posted, the job is done, the worker should end. */
export const STATE = { idle: 0, posted: 1, done: 2, exit: 3 } as const;

const WORKER = new URL("./histogramWorker.js", import.meta.url);

/** Polls of the control block (about 50 µs) before a thread sleeps until notified. */
const SPINS = 20_000;

/** Polls until ctrl[state] is no longer `value` or the spins run out; true when it still is (then sleep). */
export function spinWhile(ctrl: Int32Array, value: number): boolean {
  for (let k = 0; k < SPINS; k++) if (Atomics.load(ctrl, CTRL.state) !== value) return false;
  return true;
}

/** The arguments of kernels.histGH (h = 0: histG), as the worker reads them from the control block. */
export interface HistJob {
  hist: number;
  off: number;
  f0: number;
  f1: number;
  rowBins: number;
  p: number;
  idx: number;
  m: number;
  g: number;
  h: number;
}

/**
 * A second thread that builds histograms of some features while the caller builds the others,
 * in the same shared WebAssembly memory: scikit-learn's HistGradientBoosting uses both cores
 * (OpenMP) for the same loops. Jobs are handed over through a small control block with
 * Atomics.wait / notify (a few microseconds), not messages, because a boosting fit posts
 * thousands of them. The thread is started with the arena and ended by close(); until it is
 * running (`ready`), the caller does all the work itself, so a fit never waits for a start-up.
 *
 * DW_FIT_THREADS=1 turns it off (one thread for everything).
 */
export class HistogramThread {
  private readonly worker: Worker;
  private readonly ctrl: Int32Array;
  private busy = false;
  private closed = false;
  private failed = false;

  private constructor(arena: KernelArena, block: ArenaArray<Int32Array>) {
    this.ctrl = block.view;
    this.worker = new Worker(WORKER, { workerData: { module: arena.module, memory: arena.memory, ctrl: block.ptr } });
    this.worker.unref();
    this.worker.on("error", () => {
      this.failed = true;
    });
  }

  /** A thread for this arena (its control block is carved from it), or null when fits are to use one thread. */
  static start(arena: KernelArena): HistogramThread | null {
    if (Number(process.env.DW_FIT_THREADS ?? 2) < 2) return null;
    return new HistogramThread(arena, arena.i32(CTRL.size));
  }

  /** Whether the worker is running and can take a job now. */
  get ready(): boolean {
    return !this.failed && !this.closed && !this.busy && Atomics.load(this.ctrl, CTRL.ready) === 1;
  }

  /** Hands `job` to the worker and returns at once; wait() for it. */
  post(job: HistJob): void {
    const c = this.ctrl;
    const a = CTRL.args;
    c[a] = job.hist;
    c[a + 1] = job.off;
    c[a + 2] = job.f0;
    c[a + 3] = job.f1;
    c[a + 4] = job.rowBins;
    c[a + 5] = job.p;
    c[a + 6] = job.idx;
    c[a + 7] = job.m;
    c[a + 8] = job.g;
    c[a + 9] = job.h;
    this.busy = true;
    Atomics.store(c, CTRL.state, STATE.posted);
    Atomics.notify(c, CTRL.state);
  }

  /** Blocks until the posted job is done. */
  wait(): void {
    const c = this.ctrl;
    if (spinWhile(c, STATE.posted)) while (Atomics.load(c, CTRL.state) === STATE.posted) Atomics.wait(c, CTRL.state, STATE.posted, 1000);
    Atomics.store(c, CTRL.state, STATE.idle);
    this.busy = false;
  }

  /** Ends the worker (after the job in hand, if any). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.ctrl, CTRL.state, STATE.exit);
    Atomics.notify(this.ctrl, CTRL.state);
  }
}
