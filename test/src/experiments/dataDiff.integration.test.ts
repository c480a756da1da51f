import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, runTool, type ToolContext } from "../../../src/index.js";
import { ok } from "../../helpers/results.js";

// compare_experiments' data diff for two runs on different data: the newer file has 100 rows fewer,
// no `weather` column, and `wind` as text; each change is said once, and in the summary line.

let tw: TempWorkspace;
let ctx: ToolContext;

before(async () => {
  tw = await makeTempWorkspace();
  ctx = await createToolContext({ cwd: tw.dir, origin: { via: "test" } });
  const lines = (await readFile(join(tw.dir, "data", "seattle-weather.csv"), "utf8")).trim().split("\n");
  const cols = lines[0].split(",");
  const drop = cols.indexOf("weather");
  const wind = cols.indexOf("wind");
  const edited = lines.slice(0, lines.length - 100).map((l, i) =>
    l
      .split(",")
      .map((v, j) => (j === wind && i > 0 ? `${v} m/s` : v))
      .filter((_, j) => j !== drop)
      .join(","),
  );
  await writeFile(join(tw.dir, "data", "weather-2.csv"), `${edited.join("\n")}\n`);
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "w1" }, ctx));
  ok(await runTool("load_dataset", { path: "data/weather-2.csv", dataset_id: "w2" }, ctx));
});
after(async () => tw.cleanup());

test("two runs on different data: other bytes, rows fewer, a column removed and one retyped, said in fields and in one line", async () => {
  const a = ok(await runTool("train_model", { dataset_id: "w1", target: "temp_max", features: ["temp_min"], algorithm: "linear_regression" }, ctx));
  const b = ok(await runTool("train_model", { dataset_id: "w2", target: "temp_max", features: ["temp_min"], algorithm: "linear_regression" }, ctx));
  const d = ok(await runTool("compare_experiments", { run_ids: [b.run_id, a.run_id] }, ctx)).data_diff;
  assert.equal(d.from_run, a.run_id, "older first, whatever the order given");
  assert.equal(d.same_data, false);
  assert.equal(d.same_schema, false);
  assert.equal(d.rows_change, -100);
  assert.equal(d.rows_added, 0);
  assert.equal(d.rows_removed, 100);
  assert.deepEqual(d.columns_added, []);
  assert.deepEqual(d.columns_removed, ["weather"]);
  assert.equal(d.columns_type_changed.length, 1);
  assert.equal(d.columns_type_changed[0].column, "wind");
  const { from, to } = d.columns_type_changed[0];
  assert.equal(
    d.summary,
    `different bytes (sha256 ${d.from.sha256.slice(0, 12)} → ${d.to.sha256.slice(0, 12)}); 100 rows fewer (${d.from.rows} → ${d.to.rows}); columns removed: weather; columns retyped: wind ${from} → ${to}.`,
  );
});
