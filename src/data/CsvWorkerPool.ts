import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { CsvPartReply, CsvPartRequest } from "./csvPartWorker.js";

const WORKER = new URL("./csvPartWorker.js", import.meta.url);

type Answer = Extract<CsvPartReply, { ok: true }>;

/** One worker thread answering a part's requests in turn; a worker that fails or exits answers null. */
export interface PartWorker {
  ask(req: CsvPartRequest): Promise<Answer | null>;
}

/**
 * The threads a parallel CSV read (readCsvParallel) gives its parts to, one part each. Started
 * apart from the read so a caller can start them before the file is ready: load_dataset starts
 * them while the file is copied into the cache, and each thread's start-up (50-150 ms of CPU)
 * runs beside the copy instead of after it. Whoever starts a pool closes it.
 *
 * @example
 * ```ts
 * const pool = new CsvWorkerPool();
 * try {
 *   await readCsvFile(file, source, undefined, { pool });
 * } finally {
 *   await pool.close();
 * }
 * ```
 */
export class CsvWorkerPool {
  readonly workers: PartWorker[];
  private readonly threads: PartWorkerThread[];

  /** `size`: threads to start (default: DW_CSV_WORKERS when set, else the cores available, at most 8). */
  constructor(size = CsvWorkerPool.defaultSize()) {
    this.threads = Array.from({ length: size }, () => new PartWorkerThread());
    this.workers = this.threads;
  }

  static defaultSize(): number {
    return Number(process.env.DW_CSV_WORKERS) || Math.min(availableParallelism(), 8);
  }

  /** Ends the threads; awaited, so the replies they sent (every text cell of their parts) are garbage when it returns. */
  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.close()));
  }
}

class PartWorkerThread implements PartWorker {
  private readonly worker = new Worker(WORKER);
  private pending: ((reply: Answer | null) => void) | null = null;
  private dead = false;

  constructor() {
    const fail = () => {
      this.dead = true;
      this.pending?.(null);
      this.pending = null;
    };
    this.worker.on("message", (reply: CsvPartReply) => {
      const done = this.pending;
      this.pending = null;
      done?.(reply.ok ? reply : null);
    });
    this.worker.on("error", fail);
    this.worker.on("exit", fail);
  }

  ask(req: CsvPartRequest): Promise<Answer | null> {
    if (this.dead) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.pending = resolve;
      this.worker.postMessage(req);
    });
  }

  async close(): Promise<void> {
    this.dead = true;
    await this.worker.terminate();
  }
}
