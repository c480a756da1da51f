import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { ArenaArray, KernelArena } from "../../wasm/KernelArena.js";

/** Slots of the control block shared with the worker (Int32 each). */
export const CTRL = {
  /** The number of the last job posted (the worker waits for it to change). */
  posted: 0,
  /** The number of the last job the worker finished. */
  done: 1,
  /** 1 once the worker has its kernels and waits for jobs. */
  ready: 2,
  /** 1 when a job threw in the worker. */
  failed: 3,
  op: 4,
  /** Integer arguments of the job (from 0), then of its split scan (from SCAN_AT). */
  args: 5,
  size: 24,
} as const;

/** What a job does before it scans (see histogramWorker). */
export const OP = { gradients: 1, root: 2, node: 3, subtract: 4, exit: 9 } as const;

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

const WORKER = new URL("./histogramWorker.js", import.meta.url);

/** Threads started and not yet ended, each with the promise of its end (for tests and clean shutdown). */
const running = new Map<Worker, Promise<void>>();
/** Jobs second threads have finished in this process. */
let jobsDone = 0;

/**
 * A second thread for gradient boosting: it runs the kernels on the fit's shared WebAssembly
 * memory while the fit's own thread runs them on other features or rows, so a fit uses both
 * cores as scikit-learn's OpenMP loops do. Jobs are handed over through a control block with
 * Atomics (a few microseconds), not messages, because a fit posts thousands of them. Whichever
 * thread computes a feature's histogram, each bin sums its samples in the same order, so models
 * are bit-identical with and without the thread.
 *
 * Started with the fit's arena and ended by close() (in the fit's `finally`): the worker leaves
 * its loop and its thread ends, so none outlives the fit. Until the worker has started (`ready`),
 * the fit does all the work itself rather than wait.
 */
export class HistogramThread {
  private readonly worker: Worker;
  private readonly ctrl: Int32Array;
  private readonly scanArgs: Float64Array;
  private jobs = 0;
  private closed = false;

  private constructor(arena: KernelArena, block: ArenaArray<Int32Array>, doubles: ArenaArray<Float64Array>) {
    this.ctrl = block.view;
    this.scanArgs = doubles.view;
    this.worker = new Worker(WORKER, { workerData: { module: arena.module, memory: arena.memory, ctrl: block.ptr, doubles: doubles.ptr } });
    this.worker.unref();
    // A failure to start leaves `ready` unset: the fit then does everything itself.
    this.worker.on("error", () => {});
    const worker = this.worker;
    running.set(
      worker,
      new Promise<void>((resolve) =>
        worker.once("exit", () => {
          running.delete(worker);
          resolve();
        }),
      ),
    );
  }

  /** A thread for this (shared) arena, its control block carved from it; null on a machine with one core. */
  static start(arena: KernelArena): HistogramThread | null {
    if (availableParallelism() < 2) return null;
    return new HistogramThread(arena, arena.i32(CTRL.size), arena.f64(SCAN_DOUBLES));
  }

  /** Arena bytes start() carves out. */
  static readonly arenaCounts = { i32: CTRL.size, f64: SCAN_DOUBLES, arrays: 2 } as const;

  /** How many threads were started and have not ended yet. */
  static get running(): number {
    return running.size;
  }

  /** How many jobs second threads have finished in this process (so a test can tell that one worked). */
  static get jobsDone(): number {
    return jobsDone;
  }

  /** Resolves when every thread started so far has ended. */
  static async allEnded(): Promise<void> {
    // Held (ref) while awaited: an unreferenced worker's end would not keep the event loop alive.
    for (const worker of running.keys()) worker.ref();
    while (running.size > 0) await Promise.all([...running.values()]);
  }

  /** Whether the worker is running and free: a job posted now starts at once. */
  get ready(): boolean {
    return !this.closed && Atomics.load(this.ctrl, CTRL.ready) === 1 && Atomics.load(this.ctrl, CTRL.done) === this.jobs;
  }

  /**
   * Hands a job to the worker and returns at once; wait() for it. `args` are the op's integer
   * arguments then, when `scan` is given, the scan's (see histogramWorker).
   */
  post(op: number, args: readonly number[], scan: readonly number[] | null): void {
    const c = this.ctrl;
    c[CTRL.op] = op;
    for (let k = 0; k < args.length; k++) c[CTRL.args + k] = args[k];
    if (scan) this.scanArgs.set(scan);
    this.jobs++;
    Atomics.store(c, CTRL.posted, this.jobs);
    Atomics.notify(c, CTRL.posted);
  }

  /** Blocks until the posted job is done; throws if it failed in the worker. */
  wait(): void {
    const c = this.ctrl;
    const before = this.jobs - 1;
    if (spinWhile(c, CTRL.done, before)) while (Atomics.load(c, CTRL.done) === before) Atomics.wait(c, CTRL.done, before);
    jobsDone++;
    if (Atomics.load(c, CTRL.failed) !== 0) {
      this.close();
      throw new Error("gradient boosting: a kernel failed in the histogram thread");
    }
  }

  /** Ends the worker: it leaves its loop after the job in hand, if any, and its thread ends. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.ctrl[CTRL.op] = OP.exit;
    Atomics.store(this.ctrl, CTRL.posted, ++this.jobs);
    Atomics.notify(this.ctrl, CTRL.posted);
  }
}
