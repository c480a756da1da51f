import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, runTool, type ToolContext } from "../../../src/index.js";
import { err, ok } from "../../helpers/results.js";
import { createRandom } from "../../../src/models/random.js";
import { readDataset } from "../../../src/data/readDataset.js";
import type { Dataset } from "../../../src/data/Dataset.js";
import { score } from "../server/serverFixture.js";

// detect_model_drift on a real dw serve's inference log: deploy, send requests over HTTP (and
// their labels to the feedback endpoint), then detect; then shifted requests, then detect again.

let tw: TempWorkspace;
let ctx: ToolContext;
let base: string;
let ds: Dataset;
const FEATURES = ["temp_min", "precipitation", "wind", "weather"];

before(async () => {
  tw = await makeTempWorkspace("dw-drift-served-");
  // Windows of a few hundred rows keep the test short; the policy's min_rows (default 1,000) allows them.
  writeFileSync(join(tw.dir, "dw.policy.yaml"), "monitoring:\n  drift:\n    min_rows: 200\n");
  ctx = await createToolContext({ cwd: tw.dir, origin: { via: "test" } });
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, ctx));
  const run = ok(await runTool("train_model", { dataset_id: "weather", target: "temp_max", features: FEATURES }, ctx));
  ok(await runTool("register_model", { model_id: run.run_id, model_name: "temp" }, ctx));
  base = ok(await runTool("deploy_model", { model_name: "temp", version: 1, alias: "production" }, ctx)).server_url;
  ds = (await readDataset(ctx.workspace, "weather")).ds;
});
after(async () => tw.cleanup());

/** Rows of the dataset drawn with a seed, as request rows (inputs) and their true temp_max; `shift` changes them. */
function rows(n: number, seed: number, shift?: (row: (string | number | null)[]) => void) {
  const rand = createRandom(seed);
  const col = (name: string) => ds.columns.find((c) => c.name === name)!.values;
  const data: (string | number | null)[][] = [];
  const truth: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = Math.floor(rand() * ds.rows);
    const row = FEATURES.map((f) => col(f)[i] as string | number | null);
    shift?.(row);
    data.push(row);
    truth.push(col("temp_max")[i] as number);
  }
  return { data, truth };
}

/** Sends the rows as requests of 50 rows each, each with its own X-Request-Id (kept by the server); answers each row's id and position. */
async function send(data: (string | number | null)[][], prefix: string): Promise<{ request_id: string; row: number }[]> {
  const ids: { request_id: string; row: number }[] = [];
  for (let at = 0; at < data.length; at += 50) {
    const chunk = data.slice(at, at + 50);
    const id = `${prefix}-${at / 50}`;
    const r = await score(base, "/models/temp@production/invocations", { dataframe_split: { columns: FEATURES, data: chunk } }, { "X-Request-Id": id });
    assert.equal(r.status, 200, r.text);
    chunk.forEach((_, row) => ids.push({ request_id: id, row }));
  }
  return ids;
}

/** detect_model_drift once the log holds `rows` rows (the server writes its log every flush_ms). */
async function detectWhenLogged(rowsWanted: number, input: Record<string, unknown> = {}) {
  for (let i = 0; i < 50; i++) {
    const r = await runTool("detect_model_drift", { model_id: "temp@production", ...input }, ctx);
    if (r.ok && (r.output as Record<string, any>).current.rows >= rowsWanted) return r.output as Record<string, any>;
    await new Promise((res) => setTimeout(res, 100));
  }
  assert.fail(`the log did not reach ${rowsWanted} rows`);
}

test("no logged requests yet: the error says how many rows a check needs and where requests are logged", async () => {
  const e = err(await runTool("detect_model_drift", { model_id: "temp@production" }, ctx));
  assert.equal(e.code, "NOT_FOUND");
  assert.match(e.message, /temp@production has no logged requests/);
  assert.match(e.message, /at least 200 rows/);
  assert.match(e.hint ?? "", /\.dw\/monitoring\/temp\/production\/requests/);
});

test("traffic like the training data does not drift; labelled traffic gives performance; shifted traffic drifts in the shifted columns", async () => {
  const same = rows(400, 1);
  const ids = await send(same.data, "same");
  const labels = ids.map((x, k) => ({ ...x, label: same.truth[k] }));
  const fb = await score(base, "/models/temp@production/feedback", { labels });
  assert.equal(fb.status, 200, fb.text);

  const d = await detectWhenLogged(400);
  assert.equal(d.current.source, "log");
  assert.equal(d.current.deployment, "temp@production");
  assert.deepEqual(d.current.versions, [1]);
  assert.equal(d.reference.source, "run");
  assert.deepEqual(d.drifted_columns, [], JSON.stringify(d.columns.map((c: { column: string; statistic: number }) => [c.column, c.statistic])));
  assert.equal(d.dataset_drift, false);
  assert.equal(d.prediction.drifted, false);
  assert.equal(d.performance?.labelled_rows, 400);
  assert.ok(Math.abs(d.performance.change.r2) < 0.1, `r2 ${d.performance.metrics.r2} vs hold-out ${d.performance.reference_metrics.r2}`);

  // A warmer, sunnier stream: temp_min +8 °C and every day sunny.
  // The same rows as above, so only what is changed differs.
  const warm = rows(400, 1, (row) => {
    row[0] = (row[0] as number) + 8;
    row[3] = "sun";
  });
  const since = new Date().toISOString();
  await send(warm.data, "warm");
  const drifted = await detectWhenLogged(400, { since });
  assert.deepEqual(drifted.drifted_columns, ["temp_min", "weather"]);
  assert.equal(drifted.prediction.drifted, true);
  assert.equal(drifted.current.rows, 400);
  assert.equal(drifted.performance, null, "no label arrived for the warm rows");
  // The newest 400 rows without since: the same window; named by version or run id: the same deployment.
  for (const model_id of ["temp@production", "temp/1", drifted.run_id]) {
    const again = ok(await runTool("detect_model_drift", { model_id, window_rows: 400 }, ctx));
    assert.deepEqual(again.drifted_columns, ["temp_min", "weather"], model_id);
    assert.equal(again.version, 1, model_id);
    assert.equal(again.current.deployment, "temp@production", model_id);
  }
});
