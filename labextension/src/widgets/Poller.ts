/**
 * Asks again every `intervalMs` while started, one question at a time: `ask` sends a request and
 * `answered` marks its answer in, and no new one is sent while one is out (a kernel busy with a
 * cell answers comm messages only after it, and a queue of them would arrive at once). An answer
 * lost for `giveUpMs` no longer holds the next one back. Nothing is asked while `hidden()` says the
 * page is not shown (the sidebar passes `document.hidden`).
 */
export class Poller {
  private timer: ReturnType<typeof setInterval> | null = null;
  private askedAt: number | null = null;

  constructor(
    private readonly ask: () => void,
    private readonly intervalMs: number,
    private readonly hidden: () => boolean,
    private readonly giveUpMs = 30_000,
  ) {}

  get running(): boolean {
    return this.timer !== null;
  }

  start(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => this.tick(), this.intervalMs);
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.askedAt = null;
  }

  /** The answer to the last question came (or anything that makes it moot). */
  answered(): void {
    this.askedAt = null;
  }

  private tick(): void {
    if (this.hidden()) return;
    if (this.askedAt !== null && Date.now() - this.askedAt < this.giveUpMs) return;
    this.askedAt = Date.now();
    this.ask();
  }
}
