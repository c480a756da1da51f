import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { tableFromArrays } from "apache-arrow";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, renderResultHtml, runTool, type ToolContext, type ToolResult } from "../../../src/index.js";
import { err, ok } from "../../helpers/results.js";

/**
 * Data that JSON cannot write as it is: a number column with no values (its mean is NaN), ±Infinity
 * (a CSV cell `1e999`, which dw reads as a number past a double's range, as Python's float() does)
 * and text that spells NaN or infinity. Every tool that reads a dataset must answer about it: a
 * result, or an error that says what to do, never INTERNAL (an output its own schema refused).
 */

let tw: TempWorkspace;
let ctx: ToolContext;

before(async () => {
  tw = await makeTempWorkspace();
  ctx = await createToolContext({ cwd: tw.dir, origin: { via: "test" } });
  const lines = ["x1,x2,e,f,s,y"];
  for (let i = 0; i < 80; i++) {
    const x1 = (i * 37) % 101;
    const x2 = (i * 11) % 17;
    const f = i === 3 ? "1e999" : i === 7 ? "-1e999" : String((i * 13) % 29);
    lines.push(`${x1},${x2},,${f},${["NaN", "inf", "-Infinity", "nan"][i % 4]},${2 * x1 - x2 + (i % 3)}`);
  }
  await writeFile(join(tw.dir, "odd.csv"), `${lines.join("\n")}\n`);
});
after(async () => tw.cleanup());

test('load_dataset previews ±Infinity as "Infinity" / "-Infinity" (CSV 1e999, kernel numbers, SQL), missing numbers as null, and the HTML summary shows the same', async () => {
  await writeFile(join(tw.dir, "inf.csv"), "a,d\n1,1e999\n2,3\n3,-1e999\n4,\n");
  const csv = ok(await runTool("load_dataset", { path: "inf.csv" }, ctx));
  assert.deepEqual(
    csv.columns.map((c: { type: string }) => c.type),
    ["number", "number"],
  );
  assert.deepEqual(csv.preview, [
    { a: 1, d: "Infinity" },
    { a: 2, d: 3 },
    { a: 3, d: "-Infinity" },
    { a: 4, d: null },
  ]);
  const html = renderResultHtml("load_dataset", csv);
  assert.match(html, />Infinity</);
  assert.match(html, />-Infinity</);

  const kernel = ok(await runTool("load_dataset", { data: { v: [Infinity, -Infinity, Number.NaN, 0.5] }, dataset_id: "kinf" }, ctx));
  assert.deepEqual(
    kernel.preview.map((r: { v: unknown }) => r.v),
    ["Infinity", "-Infinity", null, 0.5],
  );
  const arrow = ok(await runTool("load_dataset", { data: tableFromArrays({ v: Float64Array.from([1, Infinity]) }), dataset_id: "ainf" }, ctx));
  assert.deepEqual(arrow.preview, [{ v: 1 }, { v: "Infinity" }]);
  const sql = ok(await runTool("load_dataset", { query: "select 'inf'::double as v union all select null", dataset_id: "qinf" }, ctx));
  assert.deepEqual(sql.preview, [{ v: "Infinity" }, { v: null }]);
  // The text "Infinity" in a text column stays text: the column's type says which it is ("NaN" is
  // a missing-value marker, as to pandas).
  await writeFile(join(tw.dir, "words.csv"), "w\nInfinity\nNaN\ninf\n");
  const words = ok(await runTool("load_dataset", { path: "words.csv" }, ctx));
  assert.equal(words.columns[0].type, "string");
  assert.deepEqual(words.preview, [{ w: "Infinity" }, { w: null }, { w: "inf" }]);
});

/** Every error a tool gives about this data must be one a user can act on. */
function answered(name: string, input: Record<string, unknown>, r: ToolResult): ToolResult {
  const what = `${name} ${JSON.stringify(input)}`;
  if (!r.ok) {
    assert.notEqual(r.error.code, "INTERNAL", `${what}: ${r.error.message}`);
    assert.ok(r.error.hint, `${what}: ${r.error.code} without a hint: ${r.error.message}`);
  } else assert.doesNotThrow(() => JSON.parse(JSON.stringify(r.output)), what);
  return r;
}

test("every tool that reads a dataset answers about an empty numeric column, ±Infinity and NaN-like text without an INTERNAL error", async () => {
  const call = async (name: string, input: Record<string, unknown>) => answered(name, input, await runTool(name, input, ctx));
  // Through the CSV reader (e is empty text there, f numbers with ±∞) and through SQL (e a DOUBLE column of nulls).
  ok(await call("load_dataset", { path: "odd.csv" }));
  ok(
    await call("load_dataset", {
      query:
        "select x1, x2, cast(e as double) as e, cast(f as double) as f, s, y from read_csv('odd.csv', all_varchar = true, types = {'x1': 'DOUBLE', 'x2': 'DOUBLE', 'y': 'DOUBLE'})",
      dataset_id: "odd_sql",
    }),
  );
  for (const id of ["odd", "odd_sql"]) {
    const stats = ok(await call("get_feature_stats", { dataset_id: id }));
    const f = stats.columns.find((c: { name: string }) => c.name === "f");
    assert.deepEqual([f.type, f.min, f.max, f.mean], ["number", "-Infinity", "Infinity", null]);
    renderResultHtml("get_feature_stats", stats);
    for (const [name, input] of [
      ["get_table_schema", { dataset_id: id }],
      ["run_quality_check", { dataset_id: id }],
      ["run_quality_check", { dataset_id: id, target: "y" }],
      ["run_quality_check", { dataset_id: id, target: "f" }],
      ["get_quality_score", { dataset_id: id, target: "y" }],
      ["scan_pii", { dataset_id: id }],
      ["suggest_features", { dataset_id: id, target: "y" }],
      ["suggest_features", { dataset_id: id, target: "f" }],
      ["check_policy", { dataset_id: id, target: "y" }],
      ["estimate_cost", { algorithm: "random_forest", dataset_id: id, target: "y" }],
      ["get_lineage", { dataset_id: id }],
      ["create_feature_pipeline", { name: `p-${id}`, dataset_id: id, features: ["x1", "f", "e", "s"] }],
    ] as const) {
      const r = await call(name, input);
      renderResultHtml(name, r.ok ? r.output : {});
    }
  }
  ok(await call("search_datasets", {}));
  // Training refuses ±Infinity in a feature or the target (the fit cannot scale or split on it, and
  // model.json cannot hold it), naming the column and the data row: f's first is row 4 (1e999).
  for (const [input, field] of [
    [{ dataset_id: "odd", target: "y", features: ["x1", "f"] }, "features"],
    [{ dataset_id: "odd", target: "y" }, "features"],
    [{ dataset_id: "odd_sql", target: "f", features: ["x1"] }, "target"],
    [{ dataset_id: "odd_sql", target: "f", features: ["x1"], task: "classification" }, "target"],
  ] as const) {
    for (const name of ["train_model", "select_model"] as const) {
      const r = await call(name, {
        ...input,
        ...(name === "train_model" ? { algorithm: "random_forest", override_reason: "testing data JSON cannot hold" } : { quick: true }),
      });
      assert.ok(!r.ok && r.error.code === "DATA_ERROR", `${name} ${JSON.stringify(input)}: ${JSON.stringify(r)}`.slice(0, 400));
      assert.match(r.error.message, new RegExp(`Column 'f' \\(${field}\\) holds \\+Infinity in data row 4 of `));
      assert.deepEqual(r.error.details, { field, column: "f", row: 4 });
    }
  }
  const override = "testing data JSON cannot hold";
  const trained = ok(await call("train_model", { dataset_id: "odd_sql", target: "y", features: ["x1", "x2", "s"], override_reason: override }));
  const model = trained.run_id;
  // A model that reads f, trained where f is finite, then shown data where it is not.
  ok(await call("load_dataset", { query: "select * from odd_sql where isfinite(f)", dataset_id: "finite" }));
  const withF = ok(await call("train_model", { dataset_id: "finite", target: "y", features: ["x1", "f"], override_reason: override })).run_id;
  const shown = await call("evaluate_model", { model_id: withF, dataset_id: "odd" });
  assert.ok(!shown.ok && shown.error.code === "INVALID_INPUT" && /column 'f'/.test(shown.error.message), JSON.stringify(shown));
  for (const [name, input] of [
    ["train_model", { dataset_id: "odd_sql", target: "y", features: ["x1", "e"], override_reason: override }],
    ["evaluate_model", { model_id: model, dataset_id: "odd" }],
    ["evaluate_model", { model_id: model, dataset_id: "odd_sql" }],
    ["explain_model", { model_id: model, dataset_id: "odd_sql" }],
    ["detect_model_drift", { model_id: model, dataset_id: "odd" }],
    ["get_ml_status", { model_id: model }],
    // With runs to compare against: the quality gate's shift checks and drift against a model that reads f.
    ["run_quality_check", { dataset_id: "odd", target: "y" }],
    ["run_quality_check", { dataset_id: "odd_sql", target: "y", features: ["x1", "f", "e"] }],
    ["get_quality_score", { dataset_id: "odd", target: "y" }],
    ["detect_model_drift", { model_id: withF, dataset_id: "odd" }],
    ["detect_model_drift", { model_id: withF, dataset_id: "odd_sql" }],
    ["explain_model", { model_id: withF, dataset_id: "odd" }],
    ["suggest_features", { dataset_id: "finite", target: "f" }],
    ["list_runs", {}],
    ["get_workspace_state", {}],
  ] as const) {
    await call(name, input);
  }
});

test("numbers near a double's limit are refused for training, naming the first one, so no run holds statistics that overflowed (which JSON wrote as null and broke every later training)", async () => {
  const lines = ["x,h,y"];
  for (let i = 0; i < 60; i++) lines.push(`${i % 7},${i % 3 ? 1.7e308 : -1.7e308},${(i % 5) + 0.5 * (i % 7)}`);
  await writeFile(join(tw.dir, "huge.csv"), `${lines.join("\n")}\n`);
  ok(await runTool("load_dataset", { path: "huge.csv" }, ctx));
  const override = "testing numbers near the limit";
  for (const algorithm of ["random_forest", "linear_regression"]) {
    const r = answered(
      "train_model",
      { algorithm },
      await runTool("train_model", { dataset_id: "huge", target: "y", algorithm, override_reason: override }, ctx),
    );
    assert.ok(!r.ok && r.error.code === "DATA_ERROR", JSON.stringify(r).slice(0, 300));
    assert.match(r.error.message, /^Column 'h' \(features\) holds -1\.7e\+308 in data row 1 of huge\.csv: beyond ±1e100/);
  }
  const target = err(await runTool("train_model", { dataset_id: "huge", target: "h", features: ["x"], task: "regression", override_reason: override }, ctx));
  assert.match(target.message, /^Column 'h' \(target\) holds -1\.7e\+308 in data row 1 of huge\.csv: beyond ±1e100/);
  assert.ok(target.hint);
  // As class labels the same two numbers are fine: a label is only written, never summed.
  ok(await runTool("train_model", { dataset_id: "huge", target: "h", features: ["x"], algorithm: "random_forest", override_reason: override }, ctx));
  // 1e100 itself trains (the limit is inclusive), and so does the next training in the workspace.
  await writeFile(join(tw.dir, "edge.csv"), `${lines.map((l, i) => (i === 0 ? l : l.replace(/,[-0-9.e+]+,/, i % 2 ? ",1e100," : ",-1e100,"))).join("\n")}\n`);
  ok(await runTool("load_dataset", { path: "edge.csv" }, ctx));
  ok(await runTool("train_model", { dataset_id: "edge", target: "y", algorithm: "random_forest", override_reason: override }, ctx));
  ok(await runTool("train_model", { dataset_id: "edge", target: "y", features: ["x"], override_reason: override }, ctx));
});
