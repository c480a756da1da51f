import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, runTool, type ToolContext, type ToolResult } from "../../../src/index.js";
import { readFeaturePipeline } from "../../../src/pipelines/readFeaturePipeline.js";
import { ok } from "../../helpers/results.js";
import { testSequence } from "../../helpers/testSequence.js";

let tw: TempWorkspace;
let ctx: ToolContext;

before(async () => {
  tw = await makeTempWorkspace("dw-pipeline-test-");
  ctx = await createToolContext({ cwd: tw.dir, origin: { via: "test" } });
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, ctx));
});
after(async () => tw.cleanup());

function err(r: ToolResult): { code: string; message: string; hint?: string; details?: Record<string, unknown> } {
  if (r.ok) assert.fail(`expected an error, got ${JSON.stringify(r.output).slice(0, 200)}`);
  return r.error;
}
const git = (...args: string[]) => execFileSync("git", args, { cwd: tw.dir, encoding: "utf8" });
const dwRefs = () => git("for-each-ref", "--format=%(refname) %(objectname)", "refs/dw");

const features = ["precipitation", "wind", "date", "weather"];
const steps = [
  { column: "precipitation", transform: "log1p" },
  { column: "wind", transform: "impute_median" },
  { column: "wind", transform: "standardize" },
  { column: "date", transform: "date_parts" },
  { column: "weather", transform: "one_hot" },
];

const step = testSequence(
  "a feature pipeline, in order: version 1 stored, a changed definition as version 2, an interaction step beside the records without one",
);

step("create_feature_pipeline stores pipeline.json under refs/dw/pipelines/<name>, readable with git", async () => {
  const p = ok(await runTool("create_feature_pipeline", { name: "weather-basic", dataset_id: "weather", features, steps }, ctx));
  assert.equal(p.version, 1);
  assert.equal(p.created, true);
  assert.deepEqual(p.features, features);
  assert.deepEqual(p.steps, steps);
  assert.equal(git("rev-parse", "refs/dw/pipelines/weather-basic").trim(), p.commit);
  const stored = JSON.parse(git("show", "refs/dw/pipelines/weather-basic:pipeline.json"));
  assert.equal(stored.name, "weather-basic");
  assert.equal(stored.version, 1);
  assert.deepEqual(stored.features, features);
  assert.deepEqual(stored.steps, steps);
  assert.equal(stored.created_at, p.created_at);
  assert.equal(stored.dataset.dataset_id, "weather");
  assert.equal(stored.dataset.rows, 1461);
  assert.deepEqual(
    stored.dataset.columns.map((c: any) => `${c.name}:${c.type}`),
    ["date:date", "precipitation:number", "temp_max:number", "temp_min:number", "wind:number", "weather:string"],
  );
  assert.equal(git("rev-list", "--count", p.commit).trim(), "1");
  assert.match(git("log", "-1", "--format=%B", p.commit), /dw pipeline weather-basic: version 1/);

  // The same definition again returns version 1 (a notebook re-run from the top adds nothing).
  const again = ok(await runTool("create_feature_pipeline", { name: "weather-basic", dataset_id: "weather", features, steps }, ctx));
  assert.equal(again.created, false);
  assert.equal(again.commit, p.commit);
});

step("a changed definition is version 2, whose commit's parent is version 1; readFeaturePipeline reads either", async () => {
  const v1 = git("rev-parse", "refs/dw/pipelines/weather-basic").trim();
  const steps2 = [...steps.slice(0, 4), { column: "weather", transform: "ordinal" }];
  const p = ok(await runTool("create_feature_pipeline", { name: "weather-basic", dataset_id: "weather", features, steps: steps2 }, ctx));
  assert.equal(p.version, 2);
  assert.equal(p.created, true);
  assert.equal(git("rev-parse", `${p.commit}^`).trim(), v1);
  assert.equal(JSON.parse(git("show", "refs/dw/pipelines/weather-basic:pipeline.json")).steps[4].transform, "ordinal");

  const latest = await readFeaturePipeline(ctx.workspace, "weather-basic");
  assert.equal(latest.pipeline.version, 2);
  assert.equal(latest.commit, p.commit);
  const first = await readFeaturePipeline(ctx.workspace, "weather-basic", 1);
  assert.equal(first.commit, v1);
  assert.equal(first.pipeline.steps[4].transform, "one_hot");
  await assert.rejects(readFeaturePipeline(ctx.workspace, "weather-basic", 3), (e: any) => e.code === "NOT_FOUND" && /no version 3/.test(e.message));
  await assert.rejects(readFeaturePipeline(ctx.workspace, "nope"), (e: any) => e.code === "NOT_FOUND" && /weather-basic/.test(e.hint));

  // Defaults only: no steps.
  const plain = ok(await runTool("create_feature_pipeline", { name: "plain", dataset_id: "weather", features: ["wind"] }, ctx));
  assert.deepEqual(plain.steps, []);
});

test("create_feature_pipeline bad input names the column and transform, and writes nothing", async () => {
  const before = dwRefs();
  const bad = async (input: Record<string, unknown>) => err(await runTool("create_feature_pipeline", { name: "bad", dataset_id: "weather", ...input }, ctx));

  const log = await bad({ features: ["weather"], steps: [{ column: "weather", transform: "log1p" }] });
  assert.equal(log.code, "INVALID_INPUT");
  assert.match(log.message, /'log1p'.*'weather'.*string values/);
  assert.deepEqual([log.details?.column, log.details?.transform, log.details?.field], ["weather", "log1p", "steps[0]"]);
  assert.match(log.hint ?? "", /one_hot, ordinal/);

  assert.match((await bad({ features: ["date"], steps: [{ column: "date", transform: "standardize" }] })).message, /'standardize'.*'date'.*date values/);
  assert.match((await bad({ features: ["wind"], steps: [{ column: "wind", transform: "date_parts" }] })).message, /'date_parts'.*'wind'/);
  assert.match((await bad({ features: ["windy"] })).message, /'windy' \(features\[0\]\)/);
  assert.match((await bad({ features: ["wind"], steps: [{ column: "gust", transform: "drop" }] })).message, /'gust' \(steps\[0\]\.column\)/);
  assert.match((await bad({ features: ["wind"], steps: [{ column: "precipitation", transform: "log1p" }] })).message, /not in features/);
  assert.match((await bad({ features: ["wind", "wind"] })).message, /listed twice/);
  assert.match(
    (
      await bad({
        features: ["weather"],
        steps: [
          { column: "weather", transform: "one_hot" },
          { column: "weather", transform: "ordinal" },
        ],
      })
    ).message,
    /both 'one_hot' and 'ordinal'/,
  );
  assert.match(
    (
      await bad({
        features: ["wind"],
        steps: [
          { column: "wind", transform: "drop" },
          { column: "wind", transform: "standardize" },
        ],
      })
    ).message,
    /both 'drop' and 'standardize'/,
  );
  assert.equal((await bad({ features: ["wind"], steps: [{ column: "wind", transform: "square" }] })).code, "INVALID_INPUT");
  assert.equal((await bad({ features: [] })).code, "INVALID_INPUT");
  assert.equal((await bad({ name: "bad/name", features: ["wind"] })).code, "INVALID_INPUT");
  assert.equal((await bad({ dataset_id: "nope", features: ["wind"] })).code, "NOT_FOUND");
  assert.equal(dwRefs(), before);
  assert.equal(git("for-each-ref", "refs/dw/pipelines/bad"), "");
});

step("an interaction step, as suggest_features proposes it, is stored with its inputs; version 1 records without inputs still read", async () => {
  const steps = [
    { column: "wind", transform: "standardize" },
    { column: "temp_min*wind", transform: "interaction", inputs: ["temp_min", "wind"] },
    { column: "temp_min", transform: "drop" },
  ];
  const p = ok(await runTool("create_feature_pipeline", { name: "weather-product", dataset_id: "weather", features: ["temp_min", "wind"], steps }, ctx));
  assert.deepEqual(p.steps, steps);
  assert.deepEqual(JSON.parse(git("show", `${p.commit}:pipeline.json`)).steps, steps);
  assert.match(git("log", "-1", "--format=%B", p.commit), /interaction\(temp_min\*wind\)/);
  // Records written before interactions existed have no inputs field, and still parse.
  const old = await readFeaturePipeline(ctx.workspace, "weather-basic", 1);
  assert.ok(old.pipeline.steps.every((s) => s.inputs === undefined));
});

test("a bad interaction step is INVALID_INPUT naming its field, and writes nothing", async () => {
  await writeFile(join(tw.dir, "data", "star.csv"), "a,b,a*b,label\n" + "1,2,2,x\n3,4,12,y\n".repeat(5));
  ok(await runTool("load_dataset", { path: "data/star.csv", dataset_id: "star" }, ctx));
  const before = dwRefs();
  const features = ["temp_min", "temp_max", "wind", "weather"];
  const inter = (inputs: unknown, column = "temp_min*wind") => ({ column, transform: "interaction", ...(inputs === undefined ? {} : { inputs }) });
  const bad = async (steps: unknown[], more: Record<string, unknown> = {}) => {
    const e = err(await runTool("create_feature_pipeline", { name: "bad-interaction", dataset_id: "weather", features, steps, ...more }, ctx));
    assert.equal(e.code, "INVALID_INPUT", e.message);
    return e;
  };
  const expect = async (steps: unknown[], field: string, message: RegExp, more: Record<string, unknown> = {}) => {
    const e = await bad(steps, more);
    assert.equal(e.details?.field, field, e.message);
    assert.match(e.message, message);
    assert.ok(e.hint, `no hint for: ${e.message}`);
  };

  const keep = { column: "wind", transform: "impute_median" };
  // Field names count steps from 0, whatever comes before.
  await expect(
    [keep, { column: "temp_max", transform: "standardize" }, inter(undefined)],
    "steps[2].inputs",
    /Step 2 \(interaction\) needs exactly two inputs; it has none/,
  );
  await expect([inter(["temp_min"])], "steps[0].inputs", /needs exactly two inputs; it has 1/);
  await expect([inter(["temp_min", "wind", "temp_max"])], "steps[0].inputs", /needs exactly two inputs; it has 3/);
  await expect([inter(["wind", "wind"], "wind*wind")], "steps[0].inputs", /multiplies 'wind' by itself/);
  await expect([inter(["temp_min", "gust"], "temp_min*gust")], "steps[0].inputs[1]", /'gust' \(steps\[0\]\.inputs\[1\]\) is not in dataset/);
  await expect([inter(["temp_min", "weather"], "temp_min*weather")], "steps[0].inputs[1]", /cannot multiply 'weather', which holds string values/);
  await expect([inter(["temp_min", "precipitation"], "temp_min*precipitation")], "steps[0].inputs[1]", /reads 'precipitation', which is not in features/);
  await expect([inter(["temp_min", "wind"], "chill")], "steps[0].column", /named 'chill'; an interaction of 'temp_min' and 'wind' is named 'temp_min\*wind'/);
  await expect(
    [{ column: "wind", transform: "standardize", inputs: ["wind", "temp_min"] }],
    "steps[0].inputs",
    /Step 0 \(standardize\) has inputs, which only interaction steps take/,
  );
  await expect([inter(["temp_min", "wind"]), inter(["wind", "temp_min"], "wind*temp_min")], "steps[1]", /as step 0 does already/);
  await expect([inter(["temp_min", "wind"]), inter(["temp_min", "wind"])], "steps[1]", /as step 0 does already/);
  await expect([inter(["temp_min", "wind"]), { column: "temp_min*wind", transform: "standardize" }], "steps[1].column", /the column interaction step 0 makes/);
  await expect([inter(["a", "b"], "a*b")], "steps[0].column", /would make 'a\*b', which is already a column of dataset 'star'/, {
    dataset_id: "star",
    features: ["a", "b"],
  });
  // Names holding '*' can make one product name from two pairs of inputs.
  await writeFile(join(tw.dir, "data", "star2.csv"), "a,b*c,a*b,c\n" + "1,2,3,4\n5,6,7,9\n".repeat(5));
  ok(await runTool("load_dataset", { path: "data/star2.csv", dataset_id: "star2" }, ctx));
  await expect([inter(["a*b", "c"], "a*b*c"), inter(["a", "b*c"], "a*b*c")], "steps[1].column", /would make 'a\*b\*c', which step 0 makes already/, {
    dataset_id: "star2",
    features: ["a", "b*c", "a*b", "c"],
  });
  // The step is strict: a whole suggestion, with its reason and new_columns, is refused by name.
  const whole = await bad([{ ...inter(["temp_min", "wind"]), new_columns: ["temp_min*wind"], reason: "r" }]);
  assert.match(whole.message, /new_columns/);
  assert.equal(dwRefs(), before);
  assert.equal(git("for-each-ref", "refs/dw/pipelines/bad-interaction"), "");
});
