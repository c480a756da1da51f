import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, renderResultHtml, runTool, type ToolContext } from "../../../src/index.js";
import { err, ok } from "../../helpers/results.js";
import { createRandom } from "../../../src/models/random.js";
import { readDataset } from "../../../src/data/readDataset.js";
import { columnDrift } from "../../../src/monitoring/drift/columnDrift.js";

// detect_model_drift on datasets: a model trained on `ref`, compared with `cur`, where c0 (mean
// +0.5 sd), c1 (scale ×1.5) and plan (shares moved) are shifted and the rest are not.

let tw: TempWorkspace;
let ctx: ToolContext;
let runId: string;

const rand = createRandom(14);
const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
const pick = (weights: [string, number][]) => {
  let u = rand();
  for (const [c, w] of weights) if ((u -= w) < 0) return c;
  return weights[weights.length - 1][0];
};

async function writeData(file: string, n: number, shifted: boolean): Promise<void> {
  const lines = ["c0,c1,c2,c3,c4,plan,y"];
  for (let i = 0; i < n; i++) {
    const c0 = normal() + (shifted ? 0.5 : 0);
    const c1 = Math.exp(normal() * 0.5) * (shifted ? 1.5 : 1);
    const c2 = rand() * 10;
    const c3 = -Math.log(1 - rand());
    const c4 = normal() * 3;
    const plan = pick(
      shifted
        ? [
            ["basic", 0.2],
            ["pro", 0.5],
            ["team", 0.3],
          ]
        : [
            ["basic", 0.6],
            ["pro", 0.3],
            ["team", 0.1],
          ],
    );
    const y = 2 * c0 + c1 + 0.1 * c2 + (plan === "pro" ? 1 : 0) + normal() * 0.3;
    lines.push([c0, c1, c2, c3, c4].map((v) => v.toFixed(4)).join(",") + `,${plan},${y.toFixed(4)}`);
  }
  await writeFile(join(tw.dir, "data", file), `${lines.join("\n")}\n`);
}

before(async () => {
  tw = await makeTempWorkspace("dw-drift-tool-");
  ctx = await createToolContext({ cwd: tw.dir, origin: { via: "test" } });
  await writeData("ref.csv", 3000, false);
  await writeData("same.csv", 3000, false);
  await writeData("cur.csv", 3000, true);
  for (const id of ["ref", "same", "cur"]) ok(await runTool("load_dataset", { path: `data/${id}.csv`, dataset_id: id }, ctx));
  runId = ok(await runTool("train_model", { dataset_id: "ref", target: "y" }, ctx)).run_id;
});
after(async () => tw.cleanup());

test("two datasets: the shifted columns drift and only those, each statistic the drift module's on the whole columns", async () => {
  const d = ok(await runTool("detect_model_drift", { model_id: runId, baseline_dataset_id: "ref", dataset_id: "cur" }, ctx));
  assert.deepEqual(d.drifted_columns, ["c0", "c1", "plan"]);
  assert.deepEqual(
    d.columns.map((c: { column: string; method: string }) => [c.column, c.method]),
    [
      ["c0", "wasserstein"],
      ["c1", "wasserstein"],
      ["c2", "wasserstein"],
      ["c3", "wasserstein"],
      ["c4", "wasserstein"],
      ["plan", "jensenshannon"],
    ],
  );
  assert.equal(d.share_drifted, 0.5);
  assert.equal(d.dataset_drift, true, "3 of 6 is the default share of 0.5");
  assert.equal(d.prediction.drifted, true, "the prediction follows c0 and c1");
  assert.deepEqual(d.reference, { source: "dataset", dataset_id: "ref", rows: 3000, compared_rows: 3000 });
  assert.deepEqual(d.current, { source: "dataset", dataset_id: "cur", rows: 3000 });
  // cur holds the target: performance against the hold-out, measured as train_model measures.
  assert.equal(d.performance.labelled_rows, 3000);
  assert.ok(d.performance.metrics.r2 > 0.8, `r2 ${d.performance.metrics.r2}`);
  assert.equal(d.performance.reference_metrics.r2, ok(await runTool("evaluate_model", { model_id: runId }, ctx)).metrics.r2);

  const ref = (await readDataset(ctx.workspace, "ref")).ds;
  const cur = (await readDataset(ctx.workspace, "cur")).ds;
  const values = (ds: typeof ref, name: string) => ds.columns.find((c) => c.name === name)!.values as Float64Array;
  const direct = columnDrift({ kind: "number", values: values(ref, "c1") }, { kind: "number", values: values(cur, "c1") });
  assert.equal(d.columns[1].statistic, direct.statistic);

  const same = ok(await runTool("detect_model_drift", { model_id: runId, baseline_dataset_id: "ref", dataset_id: "same" }, ctx));
  assert.deepEqual(same.drifted_columns, []);
  assert.equal(same.dataset_drift, false);
  assert.equal(same.prediction.drifted, false);

  assert.equal(d.chart.$schema, "https://vega.github.io/schema/vega-lite/v5.json");
  assert.deepEqual(
    d.chart.data.values.map((v: { column: string }) => v.column),
    ["c0", "c1", "c2", "c3", "c4", "plan", "(prediction)"],
  );
  const html = renderResultHtml("detect_model_drift", d);
  assert.match(html, /dataset drift/);
  assert.doesNotMatch(html, /undefined|NaN|\[object Object\]/);
});

test("a dataset against the reference stored with the run: the same verdicts without reading the training data", async () => {
  const d = ok(await runTool("detect_model_drift", { model_id: runId, dataset_id: "cur" }, ctx));
  assert.equal(d.reference.source, "run");
  assert.equal(d.reference.run_id, runId);
  assert.equal(d.reference_origin, "stored");
  assert.deepEqual(d.drifted_columns, ["c0", "c1", "plan"]);
  const whole = ok(await runTool("detect_model_drift", { model_id: runId, baseline_dataset_id: "ref", dataset_id: "cur" }, ctx));
  // 3,000 rows is under the sample size, so the sample is the whole data (its numbers kept to 6 digits).
  for (let i = 0; i < 6; i++) assert.ok(Math.abs(d.columns[i].statistic - whole.columns[i].statistic) < 1e-4, d.columns[i].column);
  // A method asked, and a threshold.
  const psi = ok(await runTool("detect_model_drift", { model_id: runId, dataset_id: "same", method: "psi", threshold: 0.2, drift_share: 0.3 }, ctx));
  assert.ok(psi.columns.every((c: { method: string; threshold: number }) => c.method === "psi" && c.threshold === 0.2));
  assert.equal(psi.drift_share, 0.3);
  assert.deepEqual(psi.drifted_columns, []);
});

test("clear errors: an unknown dataset, a model with no deployment to read traffic from, a method that cannot judge a column", async () => {
  const unknown = err(await runTool("detect_model_drift", { model_id: runId, dataset_id: "nope" }, ctx));
  assert.equal(unknown.code, "NOT_FOUND");
  assert.match(unknown.message, /nope/);
  const traffic = err(await runTool("detect_model_drift", { model_id: runId }, ctx));
  assert.equal(traffic.code, "NOT_FOUND");
  assert.match(traffic.message, /not deployed/);
  assert.match(traffic.hint ?? "", /dataset_id/);
  const ks = err(await runTool("detect_model_drift", { model_id: runId, dataset_id: "cur", method: "ks" }, ctx));
  assert.equal(ks.code, "INVALID_INPUT");
  assert.match(ks.message, /'plan'/);
  const alias = err(await runTool("detect_model_drift", { model_id: "nobody@production" }, ctx));
  assert.equal(alias.code, "NOT_FOUND");
});
