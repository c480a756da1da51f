import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, renderResultHtml, runTool, type ToolContext } from "../../../src/index.js";
import { ok, err } from "../../helpers/results.js";
import { RunSummary } from "../../../src/runs/RunSummary.js";

let tw: TempWorkspace;
let ctx: ToolContext;
// Trained in this order: two regressions, a classification, an overridden regression.
const ids: Record<"few" | "more" | "sky" | "exact", string> = { few: "", more: "", sky: "", exact: "" };

const git = (...args: string[]) => execFileSync("git", args, { cwd: tw.dir, encoding: "utf8" });
const list = async (input: Record<string, unknown> = {}) => ok(await runTool("list_runs", input, ctx)).runs as RunSummary[];

before(async () => {
  tw = await makeTempWorkspace("dw-listruns-test-");
  ctx = await createToolContext({ cwd: tw.dir, origin: { via: "test" } });
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, ctx));
  ids.few = ok(await runTool("train_model", { dataset_id: "weather", target: "temp_max", features: ["temp_min"] }, ctx)).run_id;
  ids.more = ok(await runTool("train_model", { dataset_id: "weather", target: "temp_max", features: ["precipitation", "temp_min", "wind"] }, ctx)).run_id;
  ids.sky = ok(
    await runTool(
      "train_model",
      { dataset_id: "weather", target: "weather", algorithm: "logistic_regression", features: ["precipitation", "temp_max", "temp_min", "wind"] },
      ctx,
    ),
  ).run_id;
  // Noiseless data: the quality gate fails it (leakage) and an override lets it through.
  const lines = ["x1,x2,y"];
  for (let i = 0; i < 40; i++) lines.push(`${(i * 7) % 13},${(i * 5) % 11},${3 + 2 * ((i * 7) % 13) - 0.5 * ((i * 5) % 11)}`);
  await writeFile(join(tw.dir, "data", "exact.csv"), lines.join("\n") + "\n");
  ok(await runTool("load_dataset", { path: "data/exact.csv" }, ctx));
  ids.exact = ok(await runTool("train_model", { dataset_id: "exact", target: "y", override_reason: "noiseless synthetic data, linear by design" }, ctx)).run_id;
  ok(await runTool("register_model", { model_id: ids.more, model_name: "temp" }, ctx));
  ok(await runTool("register_model", { model_id: ids.few, model_name: "temp" }, ctx));
  ok(await runTool("register_model", { model_id: ids.more, model_name: "weather-temp" }, ctx));
});
after(async () => tw.cleanup());

test("list_runs gives every run newest first, each as its run commit records it", async () => {
  const runs = await list();
  assert.deepEqual(
    runs.map((r) => r.run_id),
    [ids.exact, ids.sky, ids.more, ids.few],
  );
  for (const r of runs) {
    assert.equal(RunSummary.safeParse(r).success, true);
    assert.equal(r.commit, git("rev-parse", `refs/dw/runs/${r.run_id}`).trim());
    const stored = JSON.parse(git("show", `refs/dw/runs/${r.run_id}:run.json`));
    assert.equal(r.created_at, stored.created_at);
    assert.equal(r.algorithm, stored.algorithm);
    assert.equal(r.task, stored.task);
    assert.equal(r.target, stored.target);
    assert.deepEqual(r.data, { dataset_id: stored.data.dataset_id, sha256: stored.data.sha256, rows: stored.data.rows });
    assert.deepEqual(r.metrics, stored.metrics);
    assert.deepEqual(r.origin, { via: "test" });
    assert.equal(r.error, undefined);
    assert.deepEqual(
      r.gates.map((g) => g.gate),
      ["quality", "governance", "cost"],
    );
    for (const g of r.gates) {
      const report = JSON.parse(git("show", `refs/dw/runs/${r.run_id}:gates/${g.gate}.json`));
      assert.equal(g.status, report.status);
      assert.equal(g.summary, report.summary);
    }
  }
  const [exact, sky, more, few] = runs;
  assert.equal(more.metric?.name, "r2");
  assert.equal(more.metric?.value, more.metrics.r2);
  assert.equal(sky.task, "classification");
  assert.deepEqual(sky.metric, { name: "accuracy", value: sky.metrics.accuracy, higher_is_better: true });
  assert.deepEqual(more.registered, [
    { model: "temp", version: 1 },
    { model: "weather-temp", version: 1 },
  ]);
  assert.deepEqual(few.registered, [{ model: "temp", version: 2 }]);
  assert.deepEqual(sky.registered, []);
  // The overridden run: its failed quality gate, let through with who and why.
  assert.equal(exact.gates.find((g) => g.gate === "quality")?.status, "fail");
  assert.equal(exact.gate_status, "overridden");
  const override = JSON.parse(git("show", `refs/dw/runs/${ids.exact}:gates/override.json`));
  assert.deepEqual(exact.override, { by: override.by, reason: "noiseless synthetic data, linear by design", at: override.at });
  for (const r of [sky, more, few]) {
    assert.equal(r.override, undefined);
    assert.notEqual(r.gate_status, "overridden");
  }
});

test("limit keeps the newest runs; model keeps the runs registered as its versions", async () => {
  assert.deepEqual(
    (await list({ limit: 2 })).map((r) => r.run_id),
    [ids.exact, ids.sky],
  );
  assert.deepEqual(
    (await list({ model: "temp" })).map((r) => r.run_id),
    [ids.more, ids.few],
  );
  assert.deepEqual(
    (await list({ model: "temp", limit: 1 })).map((r) => r.run_id),
    [ids.more],
  );
  assert.deepEqual(
    (await list({ model: "weather-temp" })).map((r) => r.run_id),
    [ids.more],
  );
});

test("bad input is refused, naming the field and what to give", async () => {
  const missing = err(await runTool("list_runs", { model: "tmp" }, ctx));
  assert.equal(missing.code, "NOT_FOUND");
  assert.match(missing.message, /No registered model 'tmp'/);
  assert.match(missing.hint ?? "", /temp, weather-temp/);
  for (const limit of [0, 201, 2.5]) assert.equal(err(await runTool("list_runs", { limit }, ctx)).code, "INVALID_INPUT");
  assert.equal(err(await runTool("list_runs", { limt: 3 }, ctx)).code, "INVALID_INPUT");
});

test("a run that changed (log_metrics commits on its ref) is read again; the others keep their commits", async () => {
  const beforeLog = await list();
  ok(await runTool("log_metrics", { run_id: ids.few, metrics: { val_rmse: 2.5 } }, ctx));
  const after = await list();
  const few = after.find((r) => r.run_id === ids.few)!;
  assert.equal(few.commit, git("rev-parse", `refs/dw/runs/${ids.few}`).trim());
  assert.notEqual(few.commit, beforeLog.find((r) => r.run_id === ids.few)!.commit);
  for (const id of [ids.more, ids.sky, ids.exact]) {
    assert.equal(after.find((r) => r.run_id === id)!.commit, beforeLog.find((r) => r.run_id === id)!.commit);
  }
});

test("a run whose run.json or gate report is damaged is listed with an error; the others as usual", async () => {
  // A pushed or hand-made run commit: run.json is not a run record, the quality report not JSON.
  const blob = (text: string) => execFileSync("git", ["hash-object", "-w", "--stdin"], { cwd: tw.dir, input: text, encoding: "utf8" }).trim();
  const gates = execFileSync("git", ["mktree"], { cwd: tw.dir, input: `100644 blob ${blob("{ not json")}\tquality.json\n`, encoding: "utf8" }).trim();
  const tree = execFileSync("git", ["mktree"], {
    cwd: tw.dir,
    input: `100644 blob ${blob('{"run_id": 7}')}\trun.json\n040000 tree ${gates}\tgates\n`,
    encoding: "utf8",
  }).trim();
  const commit = execFileSync("git", ["commit-tree", tree, "-m", "hand-made"], { cwd: tw.dir, encoding: "utf8" }).trim();
  const damagedId = "29991231-235959-abcdef";
  git("update-ref", `refs/dw/runs/${damagedId}`, commit);
  // Not a run id: ignored.
  git("update-ref", "refs/dw/runs/scratch", commit);
  try {
    const runs = await list();
    assert.deepEqual(
      runs.map((r) => r.run_id),
      [damagedId, ids.exact, ids.sky, ids.more, ids.few],
    );
    const damaged = runs[0];
    assert.equal(RunSummary.safeParse(damaged).success, true);
    assert.equal(damaged.commit, commit);
    assert.equal(damaged.created_at, "2999-12-31T23:59:59.000Z");
    assert.equal(damaged.metric, null);
    assert.equal(damaged.gate_status, "none");
    assert.match(damaged.error ?? "", /run\.json/);
    assert.match(damaged.error ?? "", /gates\/quality\.json/);
    for (const r of runs.slice(1)) assert.equal(r.error, undefined);
    const html = renderResultHtml("list_runs", ok(await runTool("list_runs", {}, ctx)));
    assert.match(html, new RegExp(`<code>${damagedId}</code>.*⚠ unreadable`, "s"));
    assert.doesNotMatch(html, /undefined|NaN|\[object Object\]/);
  } finally {
    git("update-ref", "-d", `refs/dw/runs/${damagedId}`);
    git("update-ref", "-d", "refs/dw/runs/scratch");
  }
});

test("runs whose refs git packed (git gc, git pack-refs) are listed as loose ones are, a ref changed since by its loose file", async () => {
  const loose = await list();
  git("pack-refs", "--all");
  assert.equal(git("for-each-ref", "--format=%(refname)", "refs/dw/runs").trim().split("\n").length, 4);
  assert.deepEqual(await list(), loose);
  // log_metrics writes a loose ref over the packed one: the new commit is the run's.
  ok(await runTool("log_metrics", { run_id: ids.more, metrics: { val_rmse: 2.0 } }, ctx));
  const more = (await list()).find((r) => r.run_id === ids.more)!;
  assert.equal(more.commit, git("rev-parse", `refs/dw/runs/${ids.more}`).trim());
  assert.notEqual(more.commit, loose.find((r) => r.run_id === ids.more)!.commit);
  assert.equal((await list()).length, 4);
});
