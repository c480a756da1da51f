import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, runTool, type ToolContext } from "../../../src/index.js";
import { ok, err } from "../../helpers/results.js";
import { testSequence } from "../../helpers/testSequence.js";

let tw: TempWorkspace;
let ctx: ToolContext;
const runs: Record<string, any>[] = [];

before(async () => {
  tw = await makeTempWorkspace("dw-exp-test-");
  ctx = await createToolContext({ cwd: tw.dir, origin: { via: "test" } });
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, ctx));
  const train = (features: string[], l2: number) =>
    runTool("train_model", { dataset_id: "weather", target: "temp_max", features, hyperparameters: { l2 } }, ctx);
  runs.push(ok(await train(["temp_min"], 0)));
  runs.push(ok(await train(["precipitation", "temp_min", "wind"], 0)));
  runs.push(ok(await train(["precipitation", "temp_min", "wind"], 500)));
});
after(async () => tw.cleanup());

const git = (...args: string[]) => execFileSync("git", args, { cwd: tw.dir, encoding: "utf8" });
/** Every ref under refs/dw with the commit it names: equal before and after a failed call means nothing was written. */
const dwRefs = () => git("for-each-ref", "--format=%(refname) %(objectname)", "refs/dw");

const step = testSequence("an experiment, in order: created, its runs' metrics logged, compared");

step("create_experiment stores a commit under refs/dw/experiments/<name>; the same again returns it, a different one conflicts", async () => {
  const exp = ok(
    await runTool("create_experiment", { name: "temp-features", description: "Which features predict temp_max", tags: { team: "forecast" } }, ctx),
  );
  assert.equal(exp.experiment_id, "temp-features");
  assert.equal(exp.created, true);
  assert.deepEqual(exp.runs, []);
  assert.equal(git("rev-parse", "refs/dw/experiments/temp-features").trim(), exp.commit);
  const stored = JSON.parse(git("show", "refs/dw/experiments/temp-features:experiment.json"));
  assert.deepEqual(stored, { name: "temp-features", description: "Which features predict temp_max", tags: { team: "forecast" }, created_at: exp.created_at });

  const again = ok(
    await runTool("create_experiment", { name: "temp-features", tags: { team: "forecast" }, description: "Which features predict temp_max" }, ctx),
  );
  assert.equal(again.created, false);
  assert.equal(again.commit, exp.commit);
  assert.equal(again.created_at, exp.created_at);

  const refs = dwRefs();
  const e = err(await runTool("create_experiment", { name: "temp-features", tags: { team: "other" } }, ctx));
  assert.equal(e.code, "CONFLICT");
  assert.match(e.message, /'temp-features' already exists with a different description/);
  assert.equal(err(await runTool("create_experiment", { name: "bad name/x" }, ctx)).code, "INVALID_INPUT");
  assert.equal(dwRefs(), refs);
});

step("log_metrics appends per-step points as new run commits and attaches the run to an experiment", async () => {
  const [a, b, c] = runs;
  const before = git("rev-parse", `refs/dw/runs/${a.run_id}`).trim();
  const first = ok(await runTool("log_metrics", { run_id: a.run_id, metrics: { val_rmse: 5.0, train_rmse: 4.5 }, step: 1, experiment: "temp-features" }, ctx));
  assert.equal(first.step, 1);
  assert.equal(first.total_points, 2);
  assert.equal(first.experiment, "temp-features");
  // The new run commit's parent is the old one, and the run keeps its files.
  assert.equal(git("rev-parse", `refs/dw/runs/${a.run_id}^`).trim(), before);
  assert.equal(JSON.parse(git("show", `refs/dw/runs/${a.run_id}:run.json`)).run_id, a.run_id);

  const second = ok(await runTool("log_metrics", { run_id: a.run_id, metrics: { val_rmse: 4.2 } }, ctx));
  assert.equal(second.step, 2, "without a step, one past the last logged step");
  assert.equal(second.total_points, 3);
  assert.equal(second.experiment, undefined);

  const lines = git("show", `refs/dw/runs/${a.run_id}:metrics_log.jsonl`)
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    lines.map((p) => [p.key, p.value, p.step]),
    [
      ["val_rmse", 5, 1],
      ["train_rmse", 4.5, 1],
      ["val_rmse", 4.2, 2],
    ],
  );
  assert.ok(lines.every((p) => !Number.isNaN(Date.parse(p.timestamp))));
  assert.match(
    git("log", "--format=%s", `refs/dw/runs/${a.run_id}`),
    /log val_rmse=4\.2 at step 2\n.*log val_rmse=5 train_rmse=4\.5 at step 1\n.*linear_regression temp_max ~ temp_min/,
  );

  ok(await runTool("log_metrics", { run_id: b.run_id, metrics: { val_rmse: 4.0 }, step: 0, experiment: "temp-features" }, ctx));
  const last = ok(await runTool("log_metrics", { run_id: c.run_id, metrics: { val_rmse: 4.1 }, step: 0, experiment: "temp-features" }, ctx));
  // Attaching an attached run again adds no experiment commit.
  const same = ok(await runTool("log_metrics", { run_id: c.run_id, metrics: { val_rmse: 4.05 }, step: 1, experiment: "temp-features" }, ctx));
  assert.equal(same.experiment_commit, last.experiment_commit);

  assert.deepEqual(JSON.parse(git("show", "refs/dw/experiments/temp-features:runs.json")), [a.run_id, b.run_id, c.run_id]);
  const log = git("log", "--format=%s", "refs/dw/experiments/temp-features").trim().split("\n");
  assert.deepEqual(log, [
    `dw experiment temp-features: add run ${c.run_id}`,
    `dw experiment temp-features: add run ${b.run_id}`,
    `dw experiment temp-features: add run ${a.run_id}`,
    "dw experiment temp-features: create",
  ]);
  // Reading the experiment back gives its runs.
  assert.deepEqual(
    ok(await runTool("create_experiment", { name: "temp-features", description: "Which features predict temp_max", tags: { team: "forecast" } }, ctx)).runs,
    [a.run_id, b.run_id, c.run_id],
  );
});

step("compare_experiments ranks by r2, gives deltas against the best run and the parameters that differ", async () => {
  const [a, b, c] = runs;
  const cmp = ok(await runTool("compare_experiments", { experiment: "temp-features" }, ctx));
  assert.equal(cmp.metric, "r2");
  assert.equal(cmp.higher_is_better, true);
  const byR2 = [...runs].sort((x, y) => y.metrics.r2 - x.metrics.r2);
  assert.deepEqual(
    cmp.runs.map((r: { run_id: string }) => r.run_id),
    byR2.map((r) => r.run_id),
  );
  assert.deepEqual(
    cmp.runs.map((r: { rank: number }) => r.rank),
    [1, 2, 3],
  );
  assert.equal(cmp.best_run_id, byR2[0].run_id);
  for (const r of cmp.runs) {
    const trained = runs.find((x) => x.run_id === r.run_id)!;
    assert.equal(r.metrics.r2, trained.metrics.r2);
    assert.equal(r.delta_vs_best.r2, trained.metrics.r2 - byR2[0].metrics.r2);
    assert.equal(r.delta_vs_best.rmse, trained.metrics.rmse - byR2[0].metrics.rmse);
  }
  assert.equal(cmp.runs[0].delta_vs_best.r2, 0);
  // Logged metrics count with their last step's value.
  const ca = cmp.runs.find((r: { run_id: string }) => r.run_id === a.run_id);
  const cc = cmp.runs.find((r: { run_id: string }) => r.run_id === c.run_id);
  assert.equal(ca.metrics.val_rmse, 4.2);
  assert.equal(ca.metrics.train_rmse, 4.5);
  assert.equal(cc.metrics.val_rmse, 4.05);
  assert.equal(cc.delta_vs_best.train_rmse, null);

  const diff = Object.fromEntries(cmp.differing_parameters.map((d: { parameter: string; values: Record<string, unknown> }) => [d.parameter, d.values]));
  assert.deepEqual(Object.keys(diff).sort(), ["features", "hyperparameters.l2"]);
  assert.deepEqual(diff["hyperparameters.l2"], { [a.run_id]: 0, [b.run_id]: 0, [c.run_id]: 500 });
  assert.deepEqual(diff.features[a.run_id], ["temp_min"]);
  assert.deepEqual(diff.features[b.run_id], ["precipitation", "temp_min", "wind"]);

  // By a lower-is-better metric, from a list of runs.
  const byLogged = ok(await runTool("compare_experiments", { run_ids: [a.run_id, b.run_id, c.run_id], metric: "val_rmse" }, ctx));
  assert.equal(byLogged.higher_is_better, false);
  assert.deepEqual(
    byLogged.runs.map((r: { run_id: string }) => r.run_id),
    [b.run_id, c.run_id, a.run_id],
  );
  assert.equal(byLogged.experiment, undefined);
  const twoRuns = ok(await runTool("compare_experiments", { run_ids: [b.run_id, c.run_id], metric: "rmse", higher_is_better: true }, ctx));
  assert.equal(twoRuns.best_run_id, [b, c].sort((x, y) => y.metrics.rmse - x.metrics.rmse)[0].run_id);
  assert.deepEqual(
    twoRuns.differing_parameters.map((d: { parameter: string }) => d.parameter),
    ["hyperparameters.l2"],
  );
  // A run without the metric is ranked last, with no rank.
  const partial = ok(await runTool("compare_experiments", { run_ids: [a.run_id, b.run_id], metric: "train_rmse" }, ctx));
  assert.deepEqual(
    partial.runs.map((r: { run_id: string; rank: number | null }) => [r.run_id, r.rank]),
    [
      [a.run_id, 1],
      [b.run_id, null],
    ],
  );
});

test("bad input names what was wrong, and a failed call writes nothing", async () => {
  const [a, b] = runs;
  // An experiment to be named in the hints (the same call as the sequence's: it returns the one there is).
  ok(await runTool("create_experiment", { name: "temp-features", description: "Which features predict temp_max", tags: { team: "forecast" } }, ctx));
  const refs = dwRefs();
  let e = err(await runTool("log_metrics", { run_id: "20261128-031502-a1b2c3", metrics: { x: 1 } }, ctx));
  assert.equal(e.code, "NOT_FOUND");
  assert.match(e.message, /No run '20261128-031502-a1b2c3'/);
  e = err(await runTool("log_metrics", { run_id: "not-a-run", metrics: { x: 1 } }, ctx));
  assert.equal(e.code, "INVALID_INPUT");
  e = err(await runTool("log_metrics", { run_id: a.run_id, metrics: { x: 1 }, experiment: "nope" }, ctx));
  assert.equal(e.code, "NOT_FOUND");
  assert.match(e.message, /No experiment 'nope'/);
  assert.match(e.hint!, /temp-features/);
  e = err(await runTool("log_metrics", { run_id: a.run_id, metrics: { val_rmse: 1, loss: Number.NaN } }, ctx));
  assert.equal(e.code, "INVALID_INPUT");
  assert.match(e.message, /metrics\.loss: must be a finite number, got NaN/);
  e = err(await runTool("log_metrics", { run_id: a.run_id, metrics: { loss: Number.POSITIVE_INFINITY } }, ctx));
  assert.match(e.message, /metrics\.loss: must be a finite number, got Infinity/);
  e = err(await runTool("log_metrics", { run_id: a.run_id, metrics: {} }, ctx));
  assert.match(e.message, /metrics is empty/);
  e = err(await runTool("log_metrics", { run_id: a.run_id, metrics: { x: 1 }, step: -1 }, ctx));
  assert.equal(e.code, "INVALID_INPUT");

  e = err(await runTool("compare_experiments", { run_ids: [a.run_id] }, ctx));
  assert.equal(e.code, "INVALID_INPUT");
  assert.match(e.message, /at least two runs/);
  e = err(await runTool("compare_experiments", { run_ids: [a.run_id, a.run_id] }, ctx));
  assert.match(e.message, /at least two runs/);
  e = err(await runTool("compare_experiments", { run_ids: [a.run_id, "20261128-031502-a1b2c3"] }, ctx));
  assert.equal(e.code, "NOT_FOUND");
  e = err(await runTool("compare_experiments", { experiment: "nope" }, ctx));
  assert.equal(e.code, "NOT_FOUND");
  e = err(await runTool("compare_experiments", {}, ctx));
  assert.match(e.message, /give an experiment or run_ids/);
  e = err(await runTool("compare_experiments", { experiment: "temp-features", run_ids: [a.run_id, b.run_id] }, ctx));
  assert.match(e.message, /not both/);
  e = err(await runTool("compare_experiments", { run_ids: [a.run_id, b.run_id], metric: "accuracy" }, ctx));
  assert.match(e.message, /No run has the metric 'accuracy'/);
  assert.match(e.hint!, /r2/);
  ok(await runTool("create_experiment", { name: "empty" }, ctx));
  const withEmpty = dwRefs();
  e = err(await runTool("compare_experiments", { experiment: "empty" }, ctx));
  assert.match(e.message, /experiment 'empty' has 0/);
  assert.equal(dwRefs(), withEmpty);
  assert.equal(withEmpty.replace(/^refs\/dw\/experiments\/empty .*\n/m, ""), refs);
});
