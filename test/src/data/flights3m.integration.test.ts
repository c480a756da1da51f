import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { makeTempWorkspace, repoRoot, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, runTool, type ToolContext } from "../../../src/index.js";
import { ok } from "../../helpers/results.js";

const python = process.env.DW_PYTHON ?? join(repoRoot, ".venv", "bin", "python");
const FLIGHTS = join(repoRoot, "node_modules", "vega-datasets", "data", "flights-3m.parquet");
let tw: TempWorkspace;
let ctx: ToolContext;

before(async () => {
  tw = await makeTempWorkspace();
  ctx = await createToolContext({ cwd: tw.dir, origin: { via: "test" } });
});
after(async () => tw.cleanup());

const mb = (n: number) => `${(n / 1e6).toFixed(0)} MB`;

test("flights-3m.parquet (3,000,000 rows) loads and profiles, with pyarrow's numbers", { timeout: 300_000 }, async () => {
  const t0 = performance.now();
  const loaded = ok(await runTool("load_dataset", { path: FLIGHTS, dataset_id: "flights" }, ctx));
  const t1 = performance.now();
  const stats = ok(await runTool("get_feature_stats", { dataset_id: "flights" }, ctx));
  const t2 = performance.now();
  const mem = process.memoryUsage();
  // Shown with --test-reporter=spec; docs/data.md records them.
  console.log(
    `load_dataset ${((t1 - t0) / 1000).toFixed(2)} s, get_feature_stats ${((t2 - t1) / 1000).toFixed(2)} s, heap ${mb(mem.heapUsed)}, rss ${mb(mem.rss)}`,
  );

  assert.equal(loaded.rows, 3_000_000);
  assert.equal(loaded.format, "parquet");
  assert.deepEqual(
    loaded.columns.map((c: { name: string; type: string; nulls: number }) => [c.name, c.type, c.nulls]),
    [
      ["date", "date", 0],
      ["delay", "number", 0],
      ["distance", "number", 0],
      ["origin", "string", 0],
      ["destination", "string", 0],
    ],
  );
  assert.deepEqual(loaded.preview[0], { date: "2001-01-01T00:01:00", delay: 33, distance: 2176, origin: "LAS", destination: "PHL" });

  const ref = JSON.parse(
    execFileSync(
      python,
      [
        "-c",
        `import sys, json, pyarrow.parquet as pq, pyarrow.compute as pc
t = pq.read_table(sys.argv[1])
vc = pc.value_counts(t["origin"]).to_pylist()
vc.sort(key=lambda d: -d["counts"])
json.dump({"delay_mean": pc.mean(t["delay"]).as_py(), "distance_max": pc.max(t["distance"]).as_py(), "origins": len(vc),
           "top_origin": [vc[0]["values"], vc[0]["counts"]], "dates": pc.count_distinct(t["date"]).as_py()}, sys.stdout)`,
        FLIGHTS,
      ],
      { encoding: "utf8" },
    ),
  );
  const col = (name: string) => stats.columns.find((c: { name: string }) => c.name === name);
  assert.ok(Math.abs(col("delay").mean - ref.delay_mean) < 1e-9 * Math.abs(ref.delay_mean), `delay mean ${col("delay").mean} vs ${ref.delay_mean}`);
  assert.equal(col("distance").max, ref.distance_max);
  assert.equal(col("origin").distinct, ref.origins);
  assert.deepEqual([col("origin").top_values[0].value, col("origin").top_values[0].count], ref.top_origin);
  assert.equal(col("date").distinct, ref.dates);
});
