import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runTool } from "../../../src/index.js";
import { RetrainModelOutput } from "../../../src/tools/retrainModel.js";
import { MIN_LABELLED_ROWS } from "../../../src/deployment/retrainDeployment.js";
import { readLabelledRows } from "../../../src/deployment/readLabelledRows.js";
import { err, ok } from "../../helpers/results.js";
import { servedWorkspace, score, type ServedWorkspace } from "../server/serverFixture.js";

// retrain_model against a real workspace and the real dw serve deploy_model started: the serving
// version's spec trained again on the newest data (a commit), compared on requests sent over HTTP
// whose labels came back through the feedback route, or on the hold-outs when too few did, or put
// into an A/B test against the version serving.

let sw: ServedWorkspace;
let csv: string[];

before(async () => {
  sw = await servedWorkspace();
  csv = (await readFile(join(sw.tw.dir, "data", "seattle-weather.csv"), "utf8")).trim().split("\n");
});
after(async () => sw.tw.cleanup());

const git = (...args: string[]) => execFileSync("git", args, { cwd: sw.tw.dir, encoding: "utf8" }).trim();
const params = (runId: string) => JSON.parse(git("show", `refs/dw/runs/${runId}:params.json`));

async function retrain(input: Record<string, unknown>): Promise<RetrainModelOutput> {
  return RetrainModelOutput.parse(ok(await runTool("retrain_model", input, sw.ctx)));
}

test("with no labels, the serving spec is trained again as a new run commit and compared on the hold-outs, said so", async () => {
  const r = await retrain({ model_id: "temp" });
  assert.equal(r.model, "temp");
  assert.equal(r.alias, "production", "a bare model name is its production alias");
  assert.equal(r.serving.version, 1);
  assert.equal(r.serving.run_id, sw.runs.temp);
  assert.equal(git("rev-parse", `refs/dw/runs/${r.run_id}`), r.commit, "the new run is a commit under refs/dw/runs/");
  const was = params(sw.runs.temp);
  const now = params(r.run_id);
  for (const k of ["dataset_id", "target", "features", "algorithm", "task", "hyperparameters", "test_size", "cv_folds", "seed"]) {
    assert.deepEqual(now[k], was[k], `the same ${k}`);
  }
  assert.deepEqual(
    r.gates.map((g) => g.gate),
    ["quality", "governance", "cost"],
    "the training gates ran",
  );
  // What it decided says it repeats v1's spec, and the gates are the run's.
  const d = r.decisions!;
  assert.equal(d.task.value, r.task);
  assert.equal(d.task.rule, "the task temp v1 was trained for");
  assert.deepEqual(d.features.used, was.features);
  for (const s of d.features.skipped) assert.ok(s.reason === "the target" || s.reason === "not among the features temp v1 was trained on", s.reason);
  assert.deepEqual(d.gates, r.gates);
  assert.equal(r.dataset.changed, false);
  const c = r.comparison!;
  assert.equal(c.basis, "holdout");
  assert.equal(c.labelled_rows, 0);
  assert.equal(c.min_labelled_rows, MIN_LABELLED_ROWS);
  assert.equal(c.metric, "rmse");
  // Same data, same spec, same seed: the same model, so no difference.
  assert.equal(c.difference, 0);
  assert.equal(c.verdict, "no_clear_difference");
  assert.match(c.summary, /Too few labelled requests to temp@production \(0 of 30/);
  assert.match(c.summary, /each run's own held-out rows \(not the same rows, not live traffic\)/);
  assert.ok(r.next.some((l) => l.startsWith("%dw ")));
});

test("and_then: none only trains; what cannot be retrained is an error naming model_id", async () => {
  const r = await retrain({ model_id: "temp/1", and_then: "none" });
  assert.equal(r.comparison, null);
  assert.equal(r.alias, "production", "name/version is judged on the alias serving it");
  assert.equal(err(await runTool("retrain_model", { model_id: "nope@production" }, sw.ctx)).code, "NOT_FOUND");
  const e = err(await runTool("retrain_model", { model_id: "temp@staging" }, sw.ctx));
  assert.equal(e.code, "NOT_FOUND");
  assert.match(e.hint ?? "", /temp@production \(v1\)/);
  assert.equal(err(await runTool("retrain_model", { model_id: "temp@production@x" }, sw.ctx)).details?.field, "model_id");
});

test("and_then: ab_test registers the new run as the next version and splits the alias's traffic between it and the version serving", async () => {
  const r = await retrain({ model_id: "tw@production", and_then: "ab_test" });
  const ab = r.ab_test!;
  assert.equal(r.comparison, null);
  assert.equal(ab.new_version, 2);
  assert.deepEqual(ab.arms, [
    { version: 1, weight: 1 },
    { version: 2, weight: 1 },
  ]);
  const registration = JSON.parse(git("show", "refs/dw/models/tw/2:registration.json"));
  assert.equal(registration.run_id, r.run_id, "v2 is the new run");
  assert.equal(git("rev-parse", "refs/dw/abtests/tw/production"), ab.commit);
  assert.equal(JSON.parse(git("show", `${ab.commit}:abtest.json`)).status, "running");
  // Requests with different assignment keys reach both arms.
  const versions = new Set<string>();
  for (let i = 0; i < 40 && versions.size < 2; i++) {
    const res = await fetch(`${sw.base}/models/tw@production/invocations`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Dw-Ab-Key": `user-${i}` },
      body: JSON.stringify({ dataframe_split: { columns: ["precipitation", "temp_min", "wind", "weather"], data: [[0, 5, 4.7, "sun"]] } }),
    });
    assert.equal(res.status, 200, await res.text());
    versions.add(res.headers.get("x-dw-version") ?? "");
  }
  assert.deepEqual([...versions].sort(), ["1", "2"]);
  assert.deepEqual(r.next.slice(1), [
    "%dw ab_test_models --action status --model_name tw --alias production",
    "%dw ab_test_models --action promote --model_name tw --alias production",
  ]);
});

test("on newer data and labelled requests, the new model is judged on those requests and the better one is named", async () => {
  // A newer version of the dataset under the same id: every day 10 degrees warmer.
  const header = csv[0].split(",");
  const at = header.indexOf("temp_max");
  const shifted = [
    csv[0],
    ...csv.slice(1).map((line) =>
      line
        .split(",")
        .map((v, i) => (i === at ? String(Number(v) + 10) : v))
        .join(","),
    ),
  ];
  await writeFile(join(sw.tw.dir, "data", "warmer.csv"), `${shifted.join("\n")}\n`);
  const loaded = ok(await runTool("load_dataset", { path: "data/warmer.csv", dataset_id: "weather" }, sw.ctx));

  // Requests to the endpoint, and their labels (the warmer truth) through the feedback route.
  const columns = ["precipitation", "temp_min", "wind"];
  const idx = columns.map((c) => header.indexOf(c));
  const rows = shifted.slice(1, 81).map((line) => line.split(","));
  const labels: { request_id: string; row: number; label: number }[] = [];
  for (let i = 0; i < rows.length; i += 4) {
    const batch = rows.slice(i, i + 4);
    const id = `retrain-test-${i}`;
    const res = await score(
      sw.base,
      "/models/temp@production/invocations",
      { dataframe_split: { columns, data: batch.map((r) => idx.map((k) => Number(r[k]))) } },
      {
        "X-Request-Id": id,
      },
    );
    assert.equal(res.status, 200, res.text);
    batch.forEach((r, row) => labels.push({ request_id: id, row, label: Number(r[at]) }));
  }
  const fb = await score(sw.base, "/models/temp@production/feedback", { labels });
  assert.ok(fb.status >= 200 && fb.status < 300, fb.text);

  await waitForLabelled(labels.length);
  // The quality gate sees the target shifted against the last training, and says so; retraining on it is the point.
  const blocked = err(await runTool("retrain_model", { model_id: "temp@production" }, sw.ctx));
  assert.equal(blocked.code, "GATE_FAILED");
  assert.match(blocked.message, /quality gate.*'temp_max' has shifted/);
  const r = await retrain({ model_id: "temp@production", override_reason: "the summers got warmer; the model must learn it" });
  assert.equal(r.override?.gates.join(), "quality");
  assert.equal(r.dataset.changed, true);
  assert.equal(r.dataset.sha256, loaded.sha256);
  const c = r.comparison!;
  assert.equal(c.basis, "labelled_window");
  assert.equal(c.rows, labels.length);
  assert.equal(c.verdict, "candidate_better");
  assert.ok(c.candidate.rmse < 4 && c.serving.rmse > 8, `rmse ${c.candidate.rmse} (new) vs ${c.serving.rmse} (v1)`);
  assert.ok(c.p_value !== null && c.p_value < 1e-6);
  assert.match(c.summary, /^On 80 labelled requests to temp@production: rmse [\d.]+ \(new\) vs [\d.]+ \(v1\); the new model is better by /);
  assert.deepEqual(r.next, ["# The new model is better: deploy it", `%dw productionize ${r.run_id} --model_name temp --alias production`]);
});

/** The server writes its log every flush_ms: wait until the log holds every labelled request (a few hundred ms at most). */
async function waitForLabelled(n: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await readLabelledRows(sw.ctx.workspace, "temp", "production")).rows.length < n) {
    if (Date.now() > deadline) assert.fail(`the log did not hold ${n} labelled requests within 10 s`);
    await new Promise((res) => setTimeout(res, 100));
  }
}
