import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { runTool } from "../../../src/index.js";
import { RetrainModelOutput } from "../../../src/tools/retrainModel.js";
import { MIN_LABELLED_ROWS } from "../../../src/deployment/retrainDeployment.js";
import { err, ok } from "../../helpers/results.js";
import { servedWorkspace, type ServedWorkspace } from "../server/serverFixture.js";

// retrain_model against a real workspace and the real dw serve deploy_model started: the serving
// version's spec trained again on the newest data (a commit), compared on requests sent over HTTP
// whose labels came back through the feedback route, or on the hold-outs when too few did, or put
// into an A/B test against the version serving.

let sw: ServedWorkspace;

before(async () => {
  sw = await servedWorkspace();
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

test("and_then: ab_test registers the new run as the next version and starts an A/B test of it against the version serving", async () => {
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
  // The server serves the new arm (retrain_model waits for it, as ab_test_models does).
  const meta = await fetch(`${sw.base}/models/tw/2`);
  assert.equal(meta.status, 200, await meta.clone().text());
  assert.equal(((await meta.json()) as { version: number }).version, 2);
  assert.deepEqual(r.next.slice(1), [
    "%dw ab_test_models --action status --model_name tw --alias production",
    "%dw ab_test_models --action promote --model_name tw --alias production",
  ]);
});
