import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createToolContext, runTool, tools, type ToolContext } from "../../../src/index.js";
import { readValueCatalog } from "../../../src/adapters/readValueCatalog.js";
import type { Scope } from "../../../src/adapters/coerceInput.js";
import { completeMagic } from "../../../kernel/magic/completeMagic.js";
import { parseMagicLine } from "../../../kernel/magic/parseMagicLine.js";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { ok } from "../../helpers/results.js";

// A real workspace: two datasets (one with column names that need quoting), two runs, a model
// registered twice with an alias, an experiment. Completion reads them as a user's Tab would.
let tw: TempWorkspace;
let ctx: ToolContext;
let runs: string[];

before(async () => {
  tw = await makeTempWorkspace("dw-complete-");
  ctx = await createToolContext({ cwd: tw.dir });
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, ctx));
  const rows = Array.from({ length: 30 }, (_, i) => `${i % 7},${(i * 3) % 5},${i % 2 ? "a" : "b"},${i}`).join("\n");
  await writeFile(join(tw.dir, "data", "odd.csv"), `sepal.length,my col,it's,kind\n${rows}\n`);
  ok(await runTool("load_dataset", { path: "data/odd.csv", dataset_id: "odd" }, ctx));
  const train = async () =>
    ok(
      await runTool("train_model", { dataset_id: "weather", target: "temp_max", features: ["precipitation", "temp_min"], algorithm: "linear_regression" }, ctx),
    ).run_id as string;
  runs = [await train(), await train()];
  ok(await runTool("register_model", { model_id: runs[0], model_name: "temp" }, ctx));
  ok(await runTool("register_model", { model_id: runs[1], model_name: "temp", alias: "staging" }, ctx));
  ok(await runTool("create_experiment", { name: "tuning" }, ctx));
});
after(async () => {
  await tw?.cleanup();
});

/** Completes at the `|` in `line` (which marks the cursor), with the workspace and `scope` as the kernel's variables. */
async function complete(line: string, scope: Scope = {}) {
  const cursor = line.indexOf("|");
  const code = line.replace("|", "");
  const c = await completeMagic(code, cursor, tools, { scope: () => scope, catalog: async () => readValueCatalog(ctx.workspace) });
  assert.ok(c, `a completion for ${line}`);
  return { ...c, replaced: code.slice(c.start, c.end) };
}

test("tool names after %dw and %dw help, flag names after --, nothing outside a magic line", async () => {
  assert.deepEqual((await complete("%dw train_m|")).matches, ["train_model"]);
  assert.deepEqual((await complete("%dw help expl|")).matches, ["explain_model"]);
  const flags = await complete("x\n%dw train_model --fea|");
  assert.deepEqual(flags.matches, ["--features"]);
  assert.equal(flags.replaced, "--fea");
  assert.equal(await completeMagic("const a = 1", 11, tools, { scope: () => ({}), catalog: async () => readValueCatalog(ctx.workspace) }), undefined);
});

test("--algorithm, --task and a boolean flag offer the choices their schema allows", async () => {
  const all = await complete("%dw train_model --data weather --algorithm |");
  assert.deepEqual(all.matches, ["linear_regression", "logistic_regression", "decision_tree", "random_forest", "gradient_boosting", "xgboost", "lightgbm"]);
  const some = await complete("%dw train_model --algorithm ran|");
  assert.deepEqual(some.matches, ["random_forest"]);
  assert.equal(some.replaced, "ran");
  assert.deepEqual((await complete("%dw train_model --task |")).matches, ["regression", "classification"]);
  assert.deepEqual((await complete("%dw select_model --data weather --quick |")).matches, ["true", "false"]);
  assert.deepEqual((await complete("%dw train_model --algorithm=dec|")).matches, ["decision_tree"]);
});

test("--data and --dataset_id, and a tool's bare dataset value, offer the workspace's datasets", async () => {
  assert.deepEqual((await complete("%dw train_model --data |")).matches, ["odd", "weather"]);
  assert.deepEqual((await complete("%dw train_model --dataset_id w|")).matches, ["weather"]);
  assert.deepEqual((await complete("%dw get_table_schema |")).matches, ["odd", "weather"]);
  assert.deepEqual((await complete("%dw detect_model_drift temp@staging --baseline o|")).matches, ["odd"]);
});

test("--target and --features offer the columns of the dataset named on the line, before or after the cursor", async () => {
  const columns = ["date", "precipitation", "temp_max", "temp_min", "wind", "weather"];
  assert.deepEqual((await complete("%dw train_model --data weather --target |")).matches, columns);
  const after = await complete("%dw train_model --target temp| --data weather");
  assert.deepEqual(after.matches, ["temp_max", "temp_min"]);
  assert.equal(after.replaced, "temp");
  assert.deepEqual((await complete("%dw train_model --target |")).matches, [], "no dataset on the line: no columns to offer");
  assert.deepEqual((await complete("%dw train_model --data nosuch --target |")).matches, []);
  assert.deepEqual((await complete("%dw get_feature_stats --data weather --columns w|")).matches, ["wind", "weather"]);
});

test("--data naming a kernel variable reads the dataset id the variable holds", async () => {
  const scope = { df: { dataset_id: "weather", rows: 1461 } };
  assert.deepEqual((await complete("%dw train_model --data df --target te|", scope)).matches, ["temp_max", "temp_min"]);
});

test("features: the part after the last comma, without the columns listed already or the target", async () => {
  const c = await complete("%dw train_model --data weather --target temp_max --features precipitation,|");
  assert.deepEqual(c.matches, ["date", "temp_min", "wind", "weather"]);
  assert.equal(c.replaced, "");
  const part = await complete("%dw train_model --data weather --features date,wind,te|");
  assert.deepEqual(part.matches, ["temp_max", "temp_min"]);
  assert.equal(part.replaced, "te");
  assert.deepEqual((await complete('%dw train_model --data weather --features ["d|')).matches, [], "a JSON list is left alone");
});

test("a value with a space, a quote, a dot or a kernel variable's name is quoted, and the quotes read back as the value", async () => {
  const c = await complete("%dw train_model --data odd --target |", { kind: 3 });
  assert.deepEqual(c.matches, ["'sepal.length'", "'my col'", `"it's"`, "'kind'"]);
  assert.deepEqual(
    c.matches.map((m) => parseMagicLine(`%dw train_model --target ${m}`).flags[0].value),
    ["sepal.length", "my col", "it's", "kind"].map((text) => ({ text, quoted: true, partlyQuoted: true })),
    "each match, typed on the line, is one literal word holding the column's name",
  );
  assert.deepEqual((await complete("%dw train_model --data odd --target |")).matches.at(-1), "kind", "no variable named kind: bare");
  const opened = await complete('%dw train_model --data odd --target "my|');
  assert.deepEqual(opened.matches, ['"my col"']);
  assert.equal(opened.replaced, '"my');
  const single = await complete("%dw train_model --data odd --target 'it|");
  assert.deepEqual(single.matches, [`"it's"`]);
  const item = await complete("%dw train_model --data odd --features kind,m|");
  assert.deepEqual(item.matches, ["'my col'"]);
  assert.equal(item.replaced, "m");
});

test("model ids: runs and registered models as each tool accepts them", async () => {
  const [older, newer] = runs;
  assert.deepEqual((await complete("%dw retrain_model --model_id |")).matches, ["temp@staging", "temp", "temp/2", "temp/1"]);
  assert.deepEqual((await complete("%dw register_model --run_id |")).matches, [newer, older]);
  assert.deepEqual((await complete("%dw get_ml_status |")).matches, ["temp@staging", "temp/2", "temp/1", "temp", newer, older]);
  assert.deepEqual((await complete("%dw export_model temp@|")).matches, ["temp@staging"]);
  assert.deepEqual((await complete("%dw productionize |")).matches, [newer, older]);
  assert.deepEqual((await complete(`%dw compare_experiments --runs ${older},|`)).matches, [newer]);
  assert.deepEqual((await complete("%dw ab_test_models --model_a_id temp/|")).matches, ["temp/2", "temp/1"]);
});

test("model names, aliases and versions of the model named on the line, experiments", async () => {
  assert.deepEqual((await complete("%dw deploy_model --name |")).matches, ["temp"]);
  assert.deepEqual((await complete("%dw deploy_model --name temp --alias |")).matches, ["staging", "production"]);
  assert.deepEqual((await complete("%dw deploy_model --name temp --version |")).matches, ["2", "1"]);
  assert.deepEqual((await complete("%dw train_model --experiment t|")).matches, ["tuning"]);
  assert.deepEqual((await complete("%dw train_model --override_reason |")).matches, [], "free text: nothing to offer");
});

test("a damaged dataset record offers no columns, and completion still answers", async () => {
  const file = join(tw.dir, ".dw", "datasets", "broken.json");
  await writeFile(file, "{ not json");
  try {
    assert.deepEqual((await complete("%dw train_model --data b|")).matches, ["broken"]);
    assert.deepEqual((await complete("%dw train_model --data broken --target |")).matches, []);
    assert.deepEqual((await complete("%dw train_model --data broken --algorithm lin|")).matches, ["linear_regression"]);
  } finally {
    await rm(file);
  }
});
