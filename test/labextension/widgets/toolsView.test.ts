import { test } from "node:test";
import assert from "node:assert/strict";
import { filterTools, formInput, magicSource, outputSummary, toolEntries, type ToolSchemaDoc } from "../../../labextension/src/widgets/toolsView.js";
import { generatedSchemaFiles } from "../../../src/schema/toolSchemas.js";
import { tools } from "../../../src/index.js";

// The same documents the extension bundles: schema/tools/*.json as the generator writes them.
const docs = [...generatedSchemaFiles().values()].map((text) => JSON.parse(text) as ToolSchemaDoc);
const entries = toolEntries(docs);
const entry = (name: string) => {
  const e = entries.find((x) => x.name === name);
  assert.ok(e, name);
  return e;
};

test("every tool has an entry, sorted by name, with a title and a one-sentence summary", () => {
  assert.deepEqual(
    entries.map((e) => e.name),
    tools.map((t) => t.name).sort(),
  );
  assert.equal(entry("train_model").title, "Train model");
  for (const e of entries) {
    assert.ok(e.summary.length > 0 && e.summary.length <= e.description.length, e.name);
    assert.equal(e.formSchema.$schema, undefined, e.name);
  }
});

test("fields that only a kernel value can fill are left out of the form and named", () => {
  const load = entry("load_dataset");
  assert.deepEqual(load.kernelOnly, ["data"]);
  assert.ok(!("data" in (load.formSchema.properties ?? {})));
  assert.ok("path" in (load.formSchema.properties ?? {}));
  assert.deepEqual(entry("train_model").kernelOnly, []);
});

test("search: every word of the query in the name, title or description, any case", () => {
  assert.deepEqual(filterTools(entries, "").length, entries.length);
  const drift = filterTools(entries, "DRIFT").map((e) => e.name);
  assert.ok(drift.includes("detect_model_drift"), drift.join());
  assert.ok(!drift.includes("load_dataset"));
  assert.deepEqual(
    filterTools(entries, "load dataset").map((e) => e.name),
    filterTools(entries, "dataset load").map((e) => e.name),
  );
  assert.deepEqual(filterTools(entries, "no tool has this word xyzzy"), []);
});

test("the form's data becomes the input: empty fields and fields at their default left out", () => {
  const train = entry("train_model");
  assert.deepEqual(formInput(train, { dataset_id: "wine", target: "", hyperparameters: {}, features: ["a"], nope: 1 }), {
    dataset_id: "wine",
    features: ["a"],
  });
  assert.deepEqual(formInput(train, undefined), {});
  // rjsf starts a list that needs an item with a blank one.
  assert.deepEqual(formInput(train, { dataset_id: "wine", features: [null] }), { dataset_id: "wine" });
  assert.deepEqual(formInput(train, { features: ["a", null, ""] }), { features: ["a"] });
});

test("Insert writes the %dw line, or a %%dw cell with a JSON body when a text has a line break", () => {
  const load = entry("load_dataset");
  assert.equal(magicSource(load, { path: "data/wine.csv" }), "%dw load_dataset --path data/wine.csv");
  assert.equal(magicSource(load, { query: "select 1\nfrom t" }), '%%dw load_dataset\n{\n  "query": "select 1\\nfrom t"\n}');
});

test("a result's summary: plain fields as they are, lists and objects by their size", () => {
  assert.deepEqual(outputSummary({ dataset_id: "wine", rows: 178, r2: 0.912345, ok: true, columns: [1, 2], metrics: { a: 1 }, none: null }), [
    { field: "dataset_id", kind: "text", text: "wine" },
    { field: "rows", kind: "text", text: "178" },
    { field: "r2", kind: "text", text: "0.9123" },
    { field: "ok", kind: "flag", value: true },
    { field: "columns", kind: "items", count: 2 },
    { field: "metrics", kind: "fields", count: 1 },
  ]);
  assert.equal(outputSummary({ a: 1, b: 2, c: 3 }, 2).length, 2);
});
