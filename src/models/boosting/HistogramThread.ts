import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { ArenaArray, KernelArena, Kernels } from "../../wasm/KernelArena.js";
import { CTRL, OP, SCAN_DOUBLES, spinWhile } from "./jobBlock.js";
import { runHistogramJob } from "./runHistogramJob.js";

const WORKER = new URL("./histogramWorker.js", import.meta.url);

/** Threads started and not yet ended, each with the promise of its end (for tests and clean shutdown). */
const running = new Map<Worker, Promise<void>>();
/** Jobs second threads have finished in this process. */
let jobsDone = 0;
/** Jobs posted in this process that the posting thread ran itself because the worker had not claimed them. */
let takenBack = 0;

/**
 * A second thread for gradient boosting: it runs the kernels on the fit's shared WebAssembly
 * memory while the fit's own thread runs them on other features or rows, so a fit uses both
 * cores as scikit-learn's OpenMP loops do. Jobs are handed over through a control block with
 * Atomics (a few microseconds), not messages, because a fit posts thousands of them. Whichever
 * thread computes a feature's histogram, each bin sums its samples in the same order, so models
 * are bit-identical with and without the thread.
 *
 * The fit's thread posts the other half of a job, does its own half, and then takes the other
 * half back if the worker has not claimed it yet (one compare-and-swap decides which thread runs
 * it), so a worker that does not get a core in time (a busy machine) costs a few microseconds
 * rather than a wait: the fit then runs as on one thread.
 *
 * Started with the fit's arena and ended by close() (in the fit's `finally`): the worker leaves
 * its loop and its thread ends, so none outlives the fit. Until the worker has started (`ready`),
 * the fit does all the work itself rather than wait.
 */
export class HistogramThread {
  private readonly worker: Worker;
  private readonly ctrl: Int32Array;
  private readonly scanArgs: Float64Array;
  /** The fit thread's kernels on the same memory, to run a job taken back. */
  private readonly kernels: Kernels;
  private jobs = 0;
  private closed = false;

  private constructor(arena: KernelArena, block: ArenaArray<Int32Array>, doubles: ArenaArray<Float64Array>) {
    this.ctrl = block.view;
    this.kernels = arena.kernels;
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

  /** How many posted jobs the posting thread ran itself, the worker not having claimed them. */
  static get jobsTakenBack(): number {
    return takenBack;
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

  /**
   * Returns when the posted job is done: runs it here if the worker has not claimed it yet (a
   * worker that is not running, as on a busy machine, then costs one compare-and-swap instead of
   * a wait for the core), else waits for the worker; throws if it failed in the worker.
   */
  wait(): void {
    const c = this.ctrl;
    const before = this.jobs - 1;
    if (Atomics.compareExchange(c, CTRL.claim, before, this.jobs) === before) {
      runHistogramJob(this.kernels, c, this.scanArgs);
      Atomics.store(c, CTRL.done, this.jobs);
      takenBack++;
      return;
    }
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
