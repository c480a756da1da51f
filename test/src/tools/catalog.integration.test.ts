import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, runTool, renderResultHtml, type ToolContext } from "../../../src/index.js";
import { ok, err } from "../../helpers/results.js";

let tw: TempWorkspace;
let ctx: ToolContext;

before(async () => {
  tw = await makeTempWorkspace();
  ctx = await createToolContext({ cwd: tw.dir, origin: { via: "test" } });
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather", tags: ["weather", "daily"] }, ctx));
  await writeFile(join(tw.dir, "data", "orders.csv"), "order_id,customer,amount,placed_at\n1,ann,9.5,2024-01-01T10:00:00Z\n2,bob,12,2024-01-02T11:00:00Z\n");
  ok(await runTool("load_dataset", { path: "data/orders.csv", tags: ["sales"] }, ctx));
  ok(await runTool("load_dataset", { data: [{ station: "A", temp_reading: 1.5 }], dataset_id: "stations" }, ctx));
});
after(async () => tw.cleanup());

const ids = (out: Record<string, any>) => out.datasets.map((d: { dataset_id: string }) => d.dataset_id);

test("search_datasets: an empty query lists all; words match ids, columns, tags and sources, ranked, every word required", async () => {
  const all = ok(await runTool("search_datasets", {}, ctx));
  assert.deepEqual(ids(all), ["orders", "stations", "weather"]);
  assert.equal(all.total, 3);

  const temp = ok(await runTool("search_datasets", { query: "temp" }, ctx));
  // weather has two columns containing "temp", stations one.
  assert.deepEqual(ids(temp), ["weather", "stations"]);
  assert.deepEqual(temp.datasets[0].matched, ["column:temp_max", "column:temp_min"]);

  assert.deepEqual(ids(ok(await runTool("search_datasets", { query: "SALES" }, ctx))), ["orders"]);
  assert.deepEqual(ids(ok(await runTool("search_datasets", { query: "customer amount" }, ctx))), ["orders"]);
  assert.deepEqual(ids(ok(await runTool("search_datasets", { query: "customer wind" }, ctx))), []);
  // An exact id beats a column that contains the word.
  assert.deepEqual(ids(ok(await runTool("search_datasets", { query: "weather" }, ctx)))[0], "weather");
  assert.deepEqual(ids(ok(await runTool("search_datasets", { tags: ["daily"] }, ctx))), ["weather"]);
  assert.deepEqual(ids(ok(await runTool("search_datasets", { query: "kernel" }, ctx))), ["stations"]);
  assert.equal(ok(await runTool("search_datasets", { limit: 1 }, ctx)).datasets.length, 1);
  assert.match(renderResultHtml("search_datasets", temp) ?? "", /column:temp_max/);
});

test("get_table_schema: columns with types, nulls and null rate, rows, format, source, hash, load time, tags, cached", async () => {
  const s = ok(await runTool("get_table_schema", { dataset_id: "orders" }, ctx));
  assert.deepEqual(
    s.columns.map((c: { name: string; type: string }) => [c.name, c.type]),
    [
      ["order_id", "number"],
      ["customer", "string"],
      ["amount", "number"],
      ["placed_at", "date"],
    ],
  );
  assert.equal(s.rows, 2);
  assert.equal(s.format, "csv");
  assert.equal(s.source, join("data", "orders.csv"));
  assert.match(s.sha256, /^[0-9a-f]{64}$/);
  assert.ok(!Number.isNaN(Date.parse(s.loaded_at)));
  assert.deepEqual(s.tags, ["sales"]);
  assert.equal(s.cached, true);
  assert.equal(s.query, undefined);
  assert.match(renderResultHtml("get_table_schema", s) ?? "", /placed_at/);
  const missing = err(await runTool("get_table_schema", { dataset_id: "nope" }, ctx));
  assert.equal(missing.code, "NOT_FOUND");
  assert.match(missing.hint ?? "", /Known datasets: orders, stations, weather/);
});

test("get_lineage: runs by content hash and the model versions registered from them, across a reload with new content", async () => {
  const features = ["precipitation", "temp_min", "wind"];
  const run1 = ok(await runTool("train_model", { dataset_id: "weather", target: "temp_max", features }, ctx));
  const v1 = ok(await runTool("register_model", { model_id: run1.run_id, model_name: "temp", alias: "staging" }, ctx));
  const sha1 = ok(await runTool("get_table_schema", { dataset_id: "weather" }, ctx)).sha256;

  // New content under the same id: a second version, trained on once, not registered.
  const text = await readFile(join(tw.dir, "data", "seattle-weather.csv"), "utf8");
  await writeFile(join(tw.dir, "data", "weather-v2.csv"), text.split("\n").slice(0, 1000).join("\n") + "\n");
  ok(await runTool("load_dataset", { path: "data/weather-v2.csv", dataset_id: "weather" }, ctx));
  const run2 = ok(await runTool("train_model", { dataset_id: "weather", target: "temp_max", features }, ctx));
  const sha2 = ok(await runTool("get_table_schema", { dataset_id: "weather" }, ctx)).sha256;
  assert.notEqual(sha1, sha2);

  const lin = ok(await runTool("get_lineage", { dataset_id: "weather" }, ctx));
  assert.equal(lin.runs, 2);
  assert.equal(lin.models, 1);
  assert.deepEqual(
    lin.versions.map((v: { sha256: string; datasets: string[]; runs: { run_id: string }[] }) => [v.sha256, v.datasets, v.runs.map((r) => r.run_id)]),
    [
      [sha2, ["weather"], [run2.run_id]],
      [sha1, [], [run1.run_id]],
    ],
  );
  const used = lin.versions[1].runs[0];
  assert.equal(used.rows_used, 1461);
  assert.equal(used.algorithm, run1.algorithm);
  assert.deepEqual(
    used.models.map((m: { model_name: string; version: number; aliases: string[]; commit: string }) => [m.model_name, m.version, m.aliases, m.commit]),
    [["temp", 1, ["staging"], v1.commit]],
  );
  assert.deepEqual(lin.versions[0].runs[0].models, []);

  // By hash (a prefix is enough): the old version, whatever id it had.
  const byHash = ok(await runTool("get_lineage", { sha256: sha1.slice(0, 10) }, ctx));
  assert.equal(byHash.sha256, sha1);
  assert.deepEqual(
    byHash.versions.map((v: { runs: { run_id: string }[] }) => v.runs.map((r) => r.run_id)),
    [[run1.run_id]],
  );
  const html = renderResultHtml("get_lineage", lin) ?? "";
  assert.match(html, /temp v1 \(staging\)/);
  assert.match(html, new RegExp(run2.run_id));

  // A dataset nothing used: its version, with no runs.
  const none = ok(await runTool("get_lineage", { dataset_id: "orders" }, ctx));
  assert.deepEqual([none.runs, none.versions.length, none.versions[0].runs], [0, 1, []]);

  assert.equal(err(await runTool("get_lineage", {}, ctx)).code, "INVALID_INPUT");
  assert.equal(err(await runTool("get_lineage", { dataset_id: "nope" }, ctx)).code, "NOT_FOUND");
  assert.equal(err(await runTool("get_lineage", { sha256: "0000000000" }, ctx)).code, "NOT_FOUND");
});
