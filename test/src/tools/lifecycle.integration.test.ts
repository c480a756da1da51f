import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, runTool, type ToolContext } from "../../../src/index.js";
import { WorkspaceState } from "../../../src/comm/protocol.js";
import { ok, err } from "../../helpers/results.js";

let tw: TempWorkspace;
let ctx: ToolContext;

before(async () => {
  tw = await makeTempWorkspace();
  ctx = await createToolContext({
    cwd: tw.dir,
    origin: { via: "test", cell: "%dw train_model …", notebook: { path: "quickstart.ipynb", content: '{"cells": []}' } },
  });
  // Every test reads the weather data; the first also checks what loading it answers.
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, ctx));
});
after(async () => tw.cleanup());

const runRefs = () => execFileSync("git", ["for-each-ref", "refs/dw/runs"], { cwd: tw.dir, encoding: "utf8" }).trim().split("\n").filter(Boolean);

test("load, train, register, deploy and score: the whole path, on real data", async () => {
  const ds = ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, ctx));
  assert.equal(ds.rows, 1461);
  assert.deepEqual(
    ds.columns.map((c: { name: string; type: string }) => `${c.name}:${c.type}`),
    ["date:date", "precipitation:number", "temp_max:number", "temp_min:number", "wind:number", "weather:string"],
  );
  assert.match(ds.sha256, /^[0-9a-f]{64}$/);

  const run = ok(
    await runTool(
      "train_model",
      { dataset_id: "weather", target: "temp_max", features: ["precipitation", "temp_min", "wind"], algorithm: "linear_regression" },
      ctx,
    ),
  );
  assert.equal(run.run_id, run.model_id);
  assert.equal(run.rows.train + run.rows.test, 1461);
  assert.ok(run.metrics.r2 > 0.7 && run.metrics.r2 < 0.9, `r2 ${run.metrics.r2}`);
  assert.ok(run.timings.fit_s >= 0 && Number.isFinite(run.timings.load_s) && run.timings.load_s >= 0);
  // Same seed, same data: the same model.
  const again = ok(await runTool("train_model", { dataset_id: "weather", target: "temp_max", features: ["precipitation", "temp_min", "wind"] }, ctx));
  assert.deepEqual(again.model, run.model);
  assert.notEqual(again.run_id, run.run_id);

  // The run commit, read with plain git, holds what the run was.
  const show = (path: string) => execFileSync("git", ["show", `refs/dw/runs/${run.run_id}:${path}`], { cwd: tw.dir, encoding: "utf8" });
  assert.equal(JSON.parse(show("model.json")).format, "dw.model/1");
  assert.equal(JSON.parse(show("data/manifest.json")).sha256, ds.sha256);
  assert.equal(JSON.parse(show("params.json")).target, "temp_max");
  assert.equal(show("cell.ts"), "%dw train_model …");
  assert.equal(show("notebook.ipynb"), '{"cells": []}');
  assert.match(execFileSync("git", ["log", `refs/dw/runs/${run.run_id}`], { cwd: tw.dir, encoding: "utf8" }), /r2=0\.\d+/);

  const v1 = ok(await runTool("register_model", { model_id: run.run_id, model_name: "temp" }, ctx));
  assert.equal(v1.version, 1);
  const v2 = ok(await runTool("register_model", { model_id: again.run_id, model_name: "temp", alias: "staging" }, ctx));
  assert.equal(v2.version, 2);

  const versions = ok(await runTool("get_model_versions", { model_name: "temp" }, ctx));
  assert.deepEqual(
    versions.versions.map((v: { version: number }) => v.version),
    [2, 1],
  );
  assert.equal(versions.versions[1].dataset_id, "weather");
  assert.deepEqual(versions.aliases, { staging: 2 });

  const dep = ok(await runTool("deploy_model", { model_name: "temp", version: 1, alias: "production" }, ctx));
  assert.equal(dep.version, 1);
  assert.match(dep.endpoint_url, /^http:\/\/127\.0\.0\.1:\d+\/models\/temp@production\/invocations$/);
  const body = {
    dataframe_split: {
      columns: ["precipitation", "temp_min", "wind"],
      data: [
        [0.0, 5.0, 4.7],
        [10.9, 2.8, 4.5],
      ],
    },
  };
  const res = await fetch(dep.endpoint_url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  assert.equal(res.status, 200);
  const { predictions } = (await res.json()) as { predictions: number[] };
  const c = run.model.coefficients;
  const expected = body.dataframe_split.data.map(([p, t, w]) => run.model.intercept + c.precipitation * p + c.temp_min * t + c.wind * w);
  assert.equal(predictions.length, 2);
  predictions.forEach((p, i) => assert.ok(Math.abs(p - expected[i]) < 1e-9));

  // The curl line the user is shown really works.
  const curlOut = execFileSync("bash", ["-c", dep.curl], { encoding: "utf8" });
  assert.equal(JSON.parse(curlOut).predictions.length, 1);

  // Moving the alias switches what the endpoint serves, at once.
  ok(await runTool("deploy_model", { model_name: "temp", version: 2, alias: "production" }, ctx));
  const meta = (await (await fetch(dep.endpoint_url.replace(/\/invocations$/, ""))).json()) as { version: number };
  assert.equal(meta.version, 2);

  // Productionize reuses the registration of a run that has one.
  const prod = ok(await runTool("productionize", { run_id: run.run_id }, ctx));
  assert.equal(prod.model_name, "temp");
  assert.equal(prod.version, 1);
  assert.equal(prod.newly_registered, false);

  const state = WorkspaceState.parse(ok(await runTool("get_workspace_state", {}, ctx)));
  assert.deepEqual(
    state.models.map((m) => m.name),
    ["temp"],
  );
  assert.equal(state.models[0].aliases.production, 1);
  assert.equal(state.endpoints[0].live, true);
  assert.equal(state.endpoints[0].invocations_url, dep.endpoint_url);
  // The sidebar's curl line carries the model's real columns and works as pasted.
  assert.equal(JSON.parse(execFileSync("bash", ["-c", state.endpoints[0].curl!], { encoding: "utf8" })).predictions.length, 1);
});

test("productionize registers an unregistered run under its target's name", async () => {
  const run = ok(await runTool("train_model", { dataset_id: "weather", target: "temp_min", features: ["temp_max"] }, ctx));
  const prod = ok(await runTool("productionize", { run_id: run.run_id, alias: "staging" }, ctx));
  assert.equal(prod.model_name, "temp_min");
  assert.equal(prod.newly_registered, true);
  assert.match(prod.endpoint_url, /temp_min@staging/);
});

test("bad input gets a clear error naming what was wrong, and a failed run writes nothing", async () => {
  const before = runRefs().length;
  let e = err(await runTool("train_model", { dataset_id: "weather", target: "temp_maxx", features: ["wind"] }, ctx));
  assert.equal(e.code, "INVALID_INPUT");
  assert.match(e.message, /Column 'temp_maxx' \(target\) is not in dataset 'weather'/);
  assert.match(e.hint!, /temp_max/);

  const bad = ["x,y"];
  for (let i = 0; i < 40; i++) bad.push(`${i === 17 ? "n/a?" : i},${2 * i}`);
  await writeFile(join(tw.dir, "data", "badnum.csv"), bad.join("\n") + "\n");
  ok(await runTool("load_dataset", { path: "data/badnum.csv" }, ctx));
  e = err(await runTool("train_model", { dataset_id: "badnum", target: "y", features: ["x"] }, ctx));
  assert.equal(e.code, "DATA_ERROR");
  assert.match(e.message, /Column 'x' \(features\) is numeric except for some values: data\/badnum.csv, line 19 holds 'n\/a\?'/);

  e = err(await runTool("train_model", { dataset_id: "weather", target: "weather", algorithm: "linear_regression" }, ctx));
  assert.match(e.message, /linear_regression cannot learn a classification task/);
  e = err(
    await runTool(
      "train_model",
      { dataset_id: "badnum", target: "y", features: ["x"], task: "classification", algorithm: "decision_tree", hyperparameters: { max_depth: 0 } },
      ctx,
    ),
  );
  assert.match(e.message, /max_depth/);

  e = err(await runTool("train_model", { dataset_id: "nope", target: "temp_max" }, ctx));
  assert.equal(e.code, "NOT_FOUND");
  assert.match(e.hint!, /weather/);

  e = err(await runTool("train_model", { dataset_id: "weather", target: "temp_max", algorithm: "svm" }, ctx));
  assert.equal(e.code, "INVALID_INPUT");
  assert.match(e.message, /algorithm/);
  assert.match(e.message, /linear_regression/);

  e = err(await runTool("train_model", { dataset_id: "weather", target: "temp_max", hyperparameters: { alpha: 1 } }, ctx));
  assert.match(e.message, /unknown 'alpha'/);
  assert.match(e.hint!, /l2/);
  e = err(await runTool("train_model", { dataset_id: "weather", target: "weather", algorithm: "random_forest", hyperparameters: { n_trees: 5 } }, ctx));
  assert.match(e.hint!, /n_estimators/);

  e = err(await runTool("train_model", { dataset: "weather", target: "temp_max" }, ctx));
  assert.match(e.message, /unknown field\(s\) 'dataset' \(the fields are dataset_id, .*target/);
  assert.deepEqual(e.details?.fields, ["dataset_id", "dataset"]); // the one missing, the one unknown

  e = err(await runTool("trian_model", {}, ctx));
  assert.equal(e.code, "UNKNOWN_TOOL");
  assert.match(e.hint!, /train_model/);

  e = err(await runTool("register_model", { model_id: "20260101-000000-abcdef", model_name: "temp" }, ctx));
  assert.equal(e.code, "NOT_FOUND");
  e = err(await runTool("register_model", { model_id: "x", model_name: "temp" }, ctx));
  assert.match(e.message, /not a run id/);
  e = err(await runTool("deploy_model", { model_name: "no-such-model" }, ctx));
  assert.equal(e.code, "NOT_FOUND");
  e = err(await runTool("deploy_model", { model_name: "temp", alias: "1" }, ctx));
  assert.match(e.message, /not a valid alias/);

  e = err(await runTool("load_dataset", { path: "data/missing.csv" }, ctx));
  assert.equal(e.code, "NOT_FOUND");
  await writeFile(join(tw.dir, "data", "ragged.csv"), "a,b\n1,2\n3\n");
  e = err(await runTool("load_dataset", { path: "data/ragged.csv" }, ctx));
  assert.match(e.message, /line 3: expected 2 fields/);

  assert.equal(runRefs().length, before);
});

test("least squares recovers the exact coefficients of noiseless data", async () => {
  const lines = ["x1,x2,y"];
  for (let i = 0; i < 50; i++) {
    const x1 = (i * 7) % 13;
    const x2 = (i * 5) % 11;
    lines.push(`${x1},${x2},${3 + 2 * x1 - 0.5 * x2}`);
  }
  await writeFile(join(tw.dir, "data", "exact.csv"), lines.join("\n") + "\n");
  ok(await runTool("load_dataset", { path: "data/exact.csv" }, ctx));
  // Noiseless data: the quality gate rightly calls a feature that determines y leakage.
  const blocked = await runTool("train_model", { dataset_id: "exact", target: "y" }, ctx);
  assert.equal(blocked.ok ? "ok" : blocked.error.code, "GATE_FAILED");
  const run = ok(
    await runTool("train_model", { dataset_id: "exact", target: "y", override_reason: "noiseless synthetic data, y is exactly linear in x" }, ctx),
  );
  assert.deepEqual(run.features, ["x1", "x2"]);
  assert.ok(Math.abs(run.model.intercept - 3) < 1e-9);
  assert.ok(Math.abs(run.model.coefficients.x1 - 2) < 1e-9);
  assert.ok(Math.abs(run.model.coefficients.x2 + 0.5) < 1e-9);
  assert.ok(Math.abs(run.metrics.r2 - 1) < 1e-12);
});
