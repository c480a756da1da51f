import assert from "node:assert/strict";
import http from "node:http";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, runTool, type ToolContext } from "../../../src/index.js";
import { ok } from "../../helpers/results.js";

export interface ServedWorkspace {
  tw: TempWorkspace;
  ctx: ToolContext;
  /** The workspace's dw serve, started by deploy_model as a user's kernel starts it. */
  base: string;
  /** Run ids: `temp` (linear, numeric inputs) and `weatherTree` (a tree with the text input `weather`). */
  runs: { temp: string; weatherTree: string };
}

/**
 * A workspace with two deployed models, both at `@production` and v1: `temp` (linear regression of
 * temp_max on precipitation, temp_min, wind) and `tw` (a decision tree that also reads the text
 * column weather), served by a real `dw serve` that deploy_model started.
 */
export async function servedWorkspace(): Promise<ServedWorkspace> {
  const tw = await makeTempWorkspace();
  const ctx = await createToolContext({ cwd: tw.dir });
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, ctx));
  const temp = ok(
    await runTool(
      "train_model",
      { dataset_id: "weather", target: "temp_max", features: ["precipitation", "temp_min", "wind"], algorithm: "linear_regression" },
      ctx,
    ),
  );
  const tree = ok(
    await runTool(
      "train_model",
      {
        dataset_id: "weather",
        target: "temp_max",
        features: ["precipitation", "temp_min", "wind", "weather"],
        algorithm: "decision_tree",
        hyperparameters: { max_depth: 4 },
      },
      ctx,
    ),
  );
  ok(await runTool("register_model", { model_id: temp.run_id, model_name: "temp" }, ctx));
  ok(await runTool("register_model", { model_id: tree.run_id, model_name: "tw" }, ctx));
  const dep = ok(await runTool("deploy_model", { model_name: "temp", alias: "production" }, ctx));
  ok(await runTool("deploy_model", { model_name: "tw", alias: "production" }, ctx));
  return { tw, ctx, base: dep.server_url, runs: { temp: temp.run_id, weatherTree: tree.run_id } };
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * One HTTP request with nothing normalised: the path is sent byte for byte (fetch would resolve
 * `..` and re-encode), any Host header and method can be set. Rejects when the connection fails.
 */
export function rawRequest(
  base: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer; timeoutMs?: number },
): Promise<RawResponse> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: options.method ?? "GET",
        path: options.path,
        headers: options.headers,
        agent: false,
        timeout: options.timeoutMs ?? 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${options.timeoutMs ?? 30_000} ms`)));
    req.on("error", reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** POSTs JSON to a scoring path and parses the answer. */
export async function score(
  base: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: any; text: string }> {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const r = await rawRequest(base, { method: "POST", path, headers: { "Content-Type": "application/json", ...headers }, body: text });
  let json: unknown = null;
  try {
    json = JSON.parse(r.body);
  } catch {
    json = null;
  }
  return { status: r.status, json, text: r.body };
}

/** A row for `temp` in dataframe_split form. */
export const TEMP_ROW = { dataframe_split: { columns: ["precipitation", "temp_min", "wind"], data: [[0, 5, 4.7]] } };

export function assertNoStack(text: string): void {
  assert.doesNotMatch(text, /at [\w.<>]+ \(|\.js:\d+:\d+|node:internal/);
}
