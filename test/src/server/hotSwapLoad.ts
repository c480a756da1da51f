import http from "node:http";

/** One scoring request the load sent: when it started and ended (ms, monotonic), which body, and what came back. */
export interface LoadAnswer {
  started: number;
  ended: number;
  body: string;
  status: number;
  /** The parsed `predictions`, or null when the answer was not a 200 with predictions. */
  predictions: unknown[] | null;
  /** The connection error, when there was no answer at all. */
  error?: string;
}

export interface Load {
  answers: LoadAnswer[];
  /** Resolves once `n` more answers (of any kind) have arrived than when it was called. */
  moreAnswers(n: number, timeoutMs?: number): Promise<void>;
  /** Stops sending and waits for the requests in flight. */
  stop(): Promise<void>;
}

/**
 * Keeps `concurrency` scoring requests in flight against one path, over keep-alive connections as
 * a client library does, each worker cycling through `bodies`, until stopped. Every request is
 * recorded; nothing is retried, so a failed request stays visible.
 */
export function startLoad(base: string, path: string, bodies: readonly string[], concurrency: number): Load {
  const url = new URL(base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const answers: LoadAnswer[] = [];
  const waiters: { count: number; resolve(): void }[] = [];
  let running = true;

  const once = (body: string) =>
    new Promise<LoadAnswer>((resolve) => {
      const started = performance.now();
      const done = (status: number, text: string, error?: string) => {
        let predictions: unknown[] | null = null;
        if (status === 200) {
          try {
            const p = (JSON.parse(text) as { predictions?: unknown }).predictions;
            predictions = Array.isArray(p) ? p : null;
          } catch {
            predictions = null;
          }
        }
        resolve({ started, ended: performance.now(), body, status, predictions, ...(error !== undefined ? { error } : {}) });
      };
      const req = http.request(
        { host: url.hostname, port: url.port, method: "POST", path, agent, headers: { "Content-Type": "application/json" }, timeout: 30_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => done(res.statusCode ?? 0, Buffer.concat(chunks).toString("utf8")));
          res.on("error", (e) => done(0, "", e.message));
        },
      );
      req.on("timeout", () => req.destroy(new Error("no answer within 30 s")));
      req.on("error", (e) => done(0, "", e.message));
      req.end(body);
    });

  const worker = async (w: number) => {
    for (let i = w; running; i++) {
      answers.push(await once(bodies[i % bodies.length]));
      for (const waiter of waiters.splice(0)) {
        if (answers.length >= waiter.count) waiter.resolve();
        else waiters.push(waiter);
      }
    }
  };
  const workers = Array.from({ length: concurrency }, (_, w) => worker(w));

  return {
    answers,
    moreAnswers(n, timeoutMs = 30_000) {
      const count = answers.length + n;
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`fewer than ${n} answers within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    async stop() {
      running = false;
      await Promise.all(workers);
      agent.destroy();
    },
  };
}
