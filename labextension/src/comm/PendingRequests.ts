/**
 * Requests sent to the kernel that wait for their answer, by request id. The kernel answers each
 * request once, with its id; an answer for an id that no longer waits (a late one after a restart,
 * or one meant for another frontend on the same kernel) settles nothing.
 */
export class PendingRequests<T> {
  private readonly waiting = new Map<string, { resolve(value: T): void; reject(error: Error): void }>();
  private counter = 0;

  /** A new request: a fresh id to send with it, and the promise that its answer settles. */
  open(): { id: string; answer: Promise<T> } {
    this.counter += 1;
    const id = `${Date.now().toString(36)}-${this.counter}-${Math.random().toString(36).slice(2, 8)}`;
    const answer = new Promise<T>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    return { id, answer };
  }

  /** Whether a request with this id still waits for its answer. */
  has(id: string): boolean {
    return this.waiting.has(id);
  }

  /** Answers the request with this id; false when none waits for it. */
  settle(id: string, value: T): boolean {
    const request = this.waiting.get(id);
    if (!request) return false;
    this.waiting.delete(id);
    request.resolve(value);
    return true;
  }

  /** Fails every waiting request with `reason` (the kernel restarted, changed, or closed the comm). */
  rejectAll(reason: string): void {
    const requests = [...this.waiting.values()];
    this.waiting.clear();
    for (const r of requests) r.reject(new Error(reason));
  }

  /** How many requests wait. */
  get size(): number {
    return this.waiting.size;
  }
}
