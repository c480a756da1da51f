import http from "node:http";
import assert from "node:assert/strict";
import { ok } from "../../helpers/results.js";
import { createToolContext, runTool, type ToolContext } from "../../../src/index.js";
import { score } from "./serverFixture.js";

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

const COLUMNS = ["precipitation", "temp_min", "wind"];
/** Rows spread over the inputs' ranges (precipitation 0–25, temp_min -5–20, wind 1–8). */
const ROWS = Array.from({ length: 40 }, (_, i) => [(i * 7) % 26, -5 + ((i * 11) % 26), 1 + ((i * 3) % 8) + 0.5]);

export interface TwoVersions {
  ctx: ToolContext;
  /** The workspace's dw serve, started by deploy_model. */
  base: string;
  /** Scoring bodies: one row, and 40 rows. */
  bodies: string[];
  /** The version whose predictions an answer is, wholly (every row); null for anything else: an error, or rows of both. */
  versionOf(a: { body: string; predictions: unknown[] | null }): number | null;
}

/**
 * A workspace whose model `temp` has two versions that predict differently on every row sent (v1
 * linear, v2 a depth-3 tree, both on precipitation, temp_min and wind), v1 deployed at production
 * and v2 at staging by deploy_model, which starts the workspace's real `dw serve`; each version's
 * predictions for the bodies are read from its pinned URL.
 */
export async function deployTwoVersions(dir: string): Promise<TwoVersions> {
  const ctx = await createToolContext({ cwd: dir });
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, ctx));
  const linear = ok(await runTool("train_model", { dataset_id: "weather", target: "temp_max", features: COLUMNS, algorithm: "linear_regression" }, ctx));
  const tree = ok(
    await runTool(
      "train_model",
      { dataset_id: "weather", target: "temp_max", features: COLUMNS, algorithm: "decision_tree", hyperparameters: { max_depth: 3 } },
      ctx,
    ),
  );
  ok(await runTool("register_model", { model_id: linear.run_id, model_name: "temp" }, ctx));
  ok(await runTool("register_model", { model_id: tree.run_id, model_name: "temp" }, ctx));
  const base = ok(await runTool("deploy_model", { model_name: "temp", version: 1, alias: "production" }, ctx)).server_url;
  // v2 passes its deploy gate on another alias, so its pinned URL answers and gives its predictions.
  ok(await runTool("deploy_model", { model_name: "temp", version: 2, alias: "staging" }, ctx));

  const bodies = [
    JSON.stringify({ dataframe_split: { columns: COLUMNS, data: [ROWS[3]] } }),
    JSON.stringify({ dataframe_split: { columns: COLUMNS, data: ROWS } }),
  ];
  const expected = new Map<string, Map<number, string>>();
  for (const body of bodies) {
    const byVersion = new Map<number, unknown[]>();
    for (const v of [1, 2]) {
      const r = await score(base, `/models/temp/${v}/invocations`, body);
      assert.equal(r.status, 200, r.text);
      byVersion.set(v, r.json.predictions);
    }
    const [p1, p2] = [byVersion.get(1)!, byVersion.get(2)!];
    assert.equal(p1.length, JSON.parse(body).dataframe_split.data.length);
    p1.forEach((p, i) => assert.notEqual(p, p2[i], `v1 and v2 predict the same for row ${i}: a mix could not be seen`));
    expected.set(body, new Map([...byVersion].map(([v, p]) => [v, JSON.stringify(p)])));
  }
  const versionOf = (a: { body: string; predictions: unknown[] | null }): number | null => {
    const text = a.predictions && JSON.stringify(a.predictions);
    for (const [v, p] of expected.get(a.body) ?? []) if (text === p) return v;
    return null;
  };
  return { ctx, base, bodies, versionOf };
}
