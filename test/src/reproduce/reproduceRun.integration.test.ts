import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, runTool, type ToolContext } from "../../../src/index.js";
import { forgetReadDatasets } from "../../../src/data/readDataset.js";
import { err, ok } from "../../helpers/results.js";

let tw: TempWorkspace;
let ctx: ToolContext;
const FEATURES = ["precipitation", "temp_min", "wind", "weather", "date"];
const CLASS_FEATURES = ["precipitation", "temp_min", "temp_max", "wind"];

before(async () => {
  tw = await makeTempWorkspace("dw-reproduce-");
  // 300 rows: small enough that training every algorithm stays quick.
  const csv = (await readFile(join(tw.dir, "data", "seattle-weather.csv"), "utf8")).split("\n").slice(0, 301).join("\n") + "\n";
  await writeFile(join(tw.dir, "data", "small.csv"), csv);
  ctx = await createToolContext({ cwd: tw.dir });
  ok(await runTool("load_dataset", { path: "data/small.csv", dataset_id: "w" }, ctx));
});
after(async () => tw.cleanup());

const git = (...args: string[]) => execFileSync("git", args, { cwd: tw.dir, encoding: "utf8", maxBuffer: 1 << 30 });
const storedModel = (runId: string) => git("show", `refs/dw/runs/${runId}:model.json`);
const sha = (text: string) => createHash("sha256").update(text).digest("hex");

async function train(input: Record<string, unknown>): Promise<string> {
  return ok(await runTool("train_model", { dataset_id: "w", ...input }, ctx)).run_id as string;
}

test("every algorithm, by holdout and by k-fold, with and without a named feature pipeline, is rebuilt from its commit to the same model.json bytes and the same metrics", async () => {
  ok(
    await runTool(
      "create_feature_pipeline",
      {
        name: "p",
        dataset_id: "w",
        features: FEATURES,
        steps: [
          { column: "precipitation", transform: "log1p" },
          { column: "weather", transform: "ordinal" },
        ],
      },
      ctx,
    ),
  );
  const runs: { what: string; input: Record<string, unknown> }[] = [
    { what: "linear_regression", input: { target: "temp_max", features: FEATURES, algorithm: "linear_regression" } },
    { what: "logistic_regression (5 classes)", input: { target: "weather", features: CLASS_FEATURES, algorithm: "logistic_regression" } },
    { what: "decision_tree regression", input: { target: "temp_max", features: FEATURES, algorithm: "decision_tree" } },
    { what: "decision_tree classification, 3-fold", input: { target: "weather", features: CLASS_FEATURES, algorithm: "decision_tree", cv_folds: 3 } },
    { what: "random_forest", input: { target: "temp_max", features: FEATURES, algorithm: "random_forest", hyperparameters: { n_estimators: 12 } } },
    {
      what: "random_forest classification",
      input: { target: "weather", features: CLASS_FEATURES, algorithm: "random_forest", hyperparameters: { n_estimators: 8 }, seed: 7 },
    },
    { what: "gradient_boosting", input: { target: "temp_max", features: FEATURES, algorithm: "gradient_boosting", hyperparameters: { max_iter: 25 } } },
    { what: "xgboost classification", input: { target: "weather", features: CLASS_FEATURES, algorithm: "xgboost", hyperparameters: { max_iter: 10 } } },
    { what: "lightgbm with pipeline p", input: { target: "temp_max", pipeline: "p", algorithm: "lightgbm", hyperparameters: { max_iter: 15 } } },
  ];
  for (const { what, input } of runs) {
    const runId = await train(input);
    const refs = git("for-each-ref");
    const r = ok(await runTool("reproduce_run", { model_id: runId }, ctx));
    assert.equal(git("for-each-ref"), refs, "reproduce_run writes nothing");
    const text = storedModel(runId);
    assert.equal(r.identical, true, `${what}: ${JSON.stringify(r.differences.slice(0, 3))}`);
    assert.deepEqual(r.differences, [], what);
    assert.equal(r.run_id, runId);
    assert.equal(r.model_json.stored_sha256, sha(text), what);
    assert.equal(r.model_json.rebuilt_sha256, r.model_json.stored_sha256, what);
    assert.equal(r.model_json.bytes, Buffer.byteLength(text));
    assert.equal(r.model_json.rebuilt_bytes, r.model_json.bytes);
    const metrics = JSON.parse(git("show", `refs/dw/runs/${runId}:metrics.json`));
    assert.deepEqual(
      r.metrics.map((m: { name: string }) => m.name),
      Object.keys(metrics).filter((k) => k !== "confusion_matrix"),
    );
    for (const m of r.metrics) {
      assert.equal(m.equal, true, `${what} ${m.name}`);
      assert.equal(m.rebuilt, metrics[m.name]);
    }
    assert.equal(r.data.found_in, "cache");
    assert.match(r.verdict, new RegExp(`^Same bytes: model\\.json sha256 ${r.model_json.stored_sha256}, ${r.metrics.length} metrics equal to the last digit`));
  }
});

test("a run its time budget stopped early is rebuilt with the trees or iterations it kept, to the same bytes", async () => {
  for (const algorithm of ["random_forest", "gradient_boosting"]) {
    // The deadline starts before the data is read and the gates run, so it has passed by the time
    // the first tree is built: the fit always stops early, after however many trees that took.
    const runId = await train({
      target: "weather",
      features: CLASS_FEATURES,
      algorithm,
      hyperparameters: algorithm === "random_forest" ? { n_estimators: 300 } : { max_iter: 300 },
      time_budget_seconds: 0.001,
    });
    const stored = JSON.parse(storedModel(runId));
    assert.equal(stored.params.model.stoppedEarly, true, algorithm);
    const r = ok(await runTool("reproduce_run", { model_id: runId }, ctx));
    assert.equal(r.identical, true, `${algorithm}: ${JSON.stringify(r.differences.slice(0, 3))}`);
  }
});

test("a feature pipeline whose history was rewritten (same definition, another commit) is named, and the model is still the same", async () => {
  ok(
    await runTool(
      "create_feature_pipeline",
      { name: "q", dataset_id: "w", features: ["temp_min", "wind"], steps: [{ column: "wind", transform: "log1p" }] },
      ctx,
    ),
  );
  const runId = await train({ target: "temp_max", pipeline: "q", algorithm: "linear_regression" });
  const ref = "refs/dw/pipelines/q";
  const head = (await ctx.workspace.readRef(ref))!;
  // As a pull that replaced the ref would: the same pipeline.json in a commit of its own.
  const replaced = await ctx.workspace.withLock(() => ctx.workspace.commit({ ref, message: "q, as another clone wrote it", files: {}, base: head }));
  assert.notEqual(replaced, head);
  const r = ok(await runTool("reproduce_run", { model_id: runId }, ctx));
  assert.equal(r.identical, true);
  assert.deepEqual(
    r.differences.map((d: { kind: string; path: string; stored: unknown; rebuilt: unknown }) => [d.kind, d.path, d.stored, d.rebuilt]),
    [["parameter", "pipeline.commit", head, replaced]],
  );
  assert.match(r.differences[0].message, /Feature pipeline 'q' v1 is now commit [0-9a-f]{12}, but the run used commit [0-9a-f]{12}/);
});

test("params.json edited in a new commit on the run ref (max_depth 3 → 4): not identical, naming the parameter, the hyperparameter in model.json and the first differing tree node", async () => {
  const runId = await train({ target: "temp_max", features: FEATURES, algorithm: "decision_tree", hyperparameters: { max_depth: 3 } });
  assert.equal(ok(await runTool("reproduce_run", { model_id: runId }, ctx)).identical, true);
  const ref = `refs/dw/runs/${runId}`;
  const old = (await ctx.workspace.readRef(ref))!;
  const params = JSON.parse((await ctx.workspace.readText(old, "params.json"))!);
  params.hyperparameters.max_depth = 4;
  // As a user editing the commit would: a new commit on the run ref, over the run's tree.
  await ctx.workspace.withLock(() =>
    ctx.workspace.commit({ ref, message: "try max_depth 4", files: { "params.json": JSON.stringify(params, null, 2) + "\n" }, parents: [old], base: old }),
  );
  const r = ok(await runTool("reproduce_run", { model_id: runId }, ctx));
  assert.equal(r.identical, false);
  assert.equal(r.commit, await ctx.workspace.readRef(ref));
  assert.notEqual(r.model_json.rebuilt_sha256, r.model_json.stored_sha256);
  const parameter = r.differences.find((d: { kind: string }) => d.kind === "parameter");
  assert.deepEqual(
    { path: parameter.path, stored: parameter.stored, rebuilt: parameter.rebuilt },
    { path: "hyperparameters.max_depth", stored: 3, rebuilt: 4 },
  );
  assert.match(parameter.message, /params\.json says hyperparameters\.max_depth = 4, but run\.json and model\.json record 3/);
  assert.equal(r.differences[0], parameter, "the edited parameter comes first: it explains the rest");
  const model = r.differences.filter((d: { kind: string }) => d.kind === "model");
  assert.deepEqual(model[0], {
    kind: "model",
    path: "hyperparameters.max_depth",
    stored: 3,
    rebuilt: 4,
    count: 1,
    message: "Hyperparameter max_depth: stored 3, rebuilt 4.",
  });
  // A deeper tree keeps the same first splits: the first difference is past the root, in tree 0.
  const option = model.find((d: { path: string }) => d.path === "params.model.options.maxDepth");
  assert.equal(option?.message, "The estimator's option maxDepth: stored 3, rebuilt 4.");
  const trees = model.find((d: { path: string }) => d.path.startsWith("params.model.trees"));
  assert.match(trees.path, /^params\.model\.(trees\[0\]\.\w+\[\d+\]|trees\[0\]\.\w+\.length)$/);
  assert.match(trees.message, /^Tree 0(, node \d+, \w+|: the number of nodes)/);
  const stored = JSON.parse(storedModel(runId));
  const at = /trees\[0\]\.(\w+)\[(\d+)\]/.exec(trees.path);
  if (at) assert.equal(trees.stored, stored.params.model.trees[0][at[1]][Number(at[2])]);
  assert.ok(trees.count > 0);
  assert.match(r.verdict, /^Not the same: \d+ differences; first: params\.json says hyperparameters\.max_depth = 4/);
});

test("the run's execution/environment.json is compared with this machine's: a change is reported, and listed among the differences when the model differs", async () => {
  const runId = await train({ target: "temp_max", features: FEATURES, algorithm: "decision_tree", hyperparameters: { max_depth: 2 } });
  const ref = `refs/dw/runs/${runId}`;
  const ws = ctx.workspace;
  const first = (await ws.readRef(ref))!;
  const env = JSON.parse((await ws.readText(first, "execution/environment.json"))!);
  assert.equal(ok(await runTool("reproduce_run", { model_id: runId }, ctx)).environment.same, true);
  const older = { ...env, node: "20.0.0", os: { ...env.os, arch: "riscv64" } };
  const edited = await ws.withLock(() =>
    ws.commit({
      ref,
      message: "as if trained elsewhere",
      files: { "execution/environment.json": `${JSON.stringify(older, null, 2)}\n` },
      parents: [first],
      base: first,
    }),
  );
  const same = ok(await runTool("reproduce_run", { model_id: runId }, ctx));
  assert.equal(same.identical, true);
  assert.deepEqual(same.environment, {
    recorded: true,
    same: false,
    changes: [
      { field: "node", stored: "20.0.0", current: env.node },
      { field: "os.arch", stored: "riscv64", current: env.os.arch },
    ],
  });
  assert.deepEqual(same.differences, [], "an environment change alone explains nothing when the model is the same");
  const params = JSON.parse((await ws.readText(edited, "params.json"))!);
  params.hyperparameters.max_depth = 3;
  await ws.withLock(() =>
    ws.commit({ ref, message: "max_depth 3", files: { "params.json": `${JSON.stringify(params, null, 2)}\n` }, parents: [edited], base: edited }),
  );
  const differs = ok(await runTool("reproduce_run", { model_id: runId }, ctx));
  assert.equal(differs.identical, false);
  const environment = differs.differences.filter((d: { kind: string }) => d.kind === "environment");
  assert.deepEqual(
    environment.map((d: { path: string; stored: unknown; rebuilt: unknown }) => [d.path, d.stored, d.rebuilt]),
    [
      ["node", "20.0.0", env.node],
      ["os.arch", "riscv64", env.os.arch],
    ],
  );
  assert.match(environment[0].message, /trained with node "20\.0\.0"; this machine has/);
});

test("an edited test_size on a linear model: the split changes, and the first differing coefficient is named by its feature with both values", async () => {
  const runId = await train({ target: "temp_max", features: ["temp_min", "wind"], algorithm: "linear_regression" });
  const ref = `refs/dw/runs/${runId}`;
  const old = (await ctx.workspace.readRef(ref))!;
  const params = JSON.parse((await ctx.workspace.readText(old, "params.json"))!);
  params.test_size = 0.3;
  await ctx.workspace.withLock(() =>
    ctx.workspace.commit({ ref, message: "test_size 0.3", files: { "params.json": `${JSON.stringify(params, null, 2)}\n` }, parents: [old], base: old }),
  );
  const r = ok(await runTool("reproduce_run", { model_id: runId }, ctx));
  assert.equal(r.identical, false);
  assert.deepEqual([r.differences[0].kind, r.differences[0].path, r.differences[0].stored, r.differences[0].rebuilt], ["parameter", "test_size", 0.2, 0.3]);
  const coefficient = r.differences.find((d: { path: string }) => d.path.startsWith("params.coefficients"));
  const stored = JSON.parse(storedModel(runId));
  assert.equal(coefficient.path, "params.coefficients[0]");
  assert.equal(coefficient.stored, stored.params.coefficients[0]);
  assert.notEqual(coefficient.rebuilt, coefficient.stored);
  assert.equal(
    coefficient.message,
    `The coefficient of 'temp_min': stored ${JSON.stringify(coefficient.stored)}, rebuilt ${JSON.stringify(coefficient.rebuilt)} (2 values of params.coefficients differ).`,
  );
});

test("name@alias and name/version resolve to the registered version's commit and reproduce it", async () => {
  const runId = await train({ target: "temp_max", features: FEATURES, algorithm: "gradient_boosting", hyperparameters: { max_iter: 10 } });
  const reg = ok(await runTool("register_model", { model_id: runId, model_name: "temp", alias: "staging" }, ctx));
  for (const id of ["temp@staging", `temp/${reg.version}`]) {
    const r = ok(await runTool("reproduce_run", { model_id: id }, ctx));
    assert.equal(r.identical, true, id);
    assert.equal(r.run_id, runId);
    assert.equal(r.commit, reg.commit);
  }
  const bad = err(await runTool("reproduce_run", { model_id: "temp@nowhere" }, ctx));
  assert.equal(bad.code, "NOT_FOUND");
  const malformed = err(await runTool("reproduce_run", { model_id: "a/b@c" }, ctx));
  assert.equal(malformed.code, "INVALID_INPUT");
  assert.match(malformed.hint ?? "", /reproduce_run takes a run id/);
});

test("with the cache cleared, the source file is hashed again: one changed value is an error naming both hashes and the path; the file restored reproduces from source; a missing file names the hash it needs", async () => {
  const runId = await train({ target: "temp_max", features: FEATURES, algorithm: "random_forest", hyperparameters: { n_estimators: 5 } });
  const file = join(tw.dir, "data", "small.csv");
  const original = await readFile(file, "utf8");
  const needed = JSON.parse(git("show", `refs/dw/runs/${runId}:data/manifest.json`)).sha256;
  // A damaged cached copy is named, not blamed on the model.
  const cached = join(tw.dir, ".dw", "cache", "sha256", needed.slice(0, 2), needed.slice(2));
  await writeFile(cached, `${await readFile(cached, "utf8")}\n`);
  const damaged = err(await runTool("reproduce_run", { model_id: runId }, ctx));
  assert.equal(damaged.code, "DATA_ERROR");
  assert.match(damaged.message, new RegExp(`cached copy .* is damaged: .* hashes to [0-9a-f]{64}, not ${needed}`));
  assert.match(damaged.hint ?? "", /Delete .* and run reproduce_run again/);
  await rm(join(tw.dir, ".dw", "cache"), { recursive: true, force: true });
  forgetReadDatasets();
  const lines = original.split("\n");
  lines[5] = lines[5].replace(/,([\d.]+),/, (_m, v) => `,${Number(v) + 1},`);
  assert.notEqual(lines.join("\n"), original);
  await writeFile(file, lines.join("\n"));
  const found = sha(lines.join("\n"));

  const changed = err(await runTool("reproduce_run", { model_id: runId }, ctx));
  assert.equal(changed.code, "DATA_ERROR");
  assert.match(changed.message, new RegExp(`data/small\\.csv has changed since run ${runId} was trained: its sha256 is now ${found}, the run needs ${needed}`));
  assert.deepEqual(
    { needed: changed.details?.sha256_needed, found: changed.details?.sha256_found, path: changed.details?.path },
    { needed, found, path: file },
  );
  assert.match(changed.hint ?? "", /Restore data\/small\.csv/);

  await writeFile(file, original);
  const restored = ok(await runTool("reproduce_run", { model_id: runId }, ctx));
  assert.equal(restored.identical, true);
  assert.equal(restored.data.found_in, "source");
  assert.equal(restored.data.sha256, needed);

  await rm(file);
  const missing = err(await runTool("reproduce_run", { model_id: runId }, ctx));
  assert.equal(missing.code, "NOT_FOUND");
  assert.match(missing.message, new RegExp(`\\(sha256 ${needed}\\) is not in the cache, and its source data/small\\.csv is missing`));
  assert.equal(missing.details?.sha256_needed, needed);
  await writeFile(file, original);
});
