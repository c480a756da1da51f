import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { makeTempWorkspace, repoRoot, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, runTool, type ToolContext } from "../../../src/index.js";
import { ok } from "../../helpers/results.js";
import { createRandom } from "../../../src/models/random.js";

// detect_model_drift with dataset_id and baseline_dataset_id against Evidently 0.7.23's
// DataDriftPreset (.venv-evidently, made by `node scripts/setup.mjs --for-tests`) on the same CSV
// files, read by pandas: per input the same method, the same score to 1e-6, the same verdict, and
// the same share and dataset drift. A reference of 3,000 rows takes the distances, one of 800 the tests.

const python = process.env.DW_EVIDENTLY_PYTHON ?? join(repoRoot, ".venv-evidently", "bin", "python");

const EVIDENTLY = `
import json, sys
import pandas as pd
from evidently import Report
from evidently.presets import DataDriftPreset
DISPLAY = {"K-S p_value": "ks", "chi-square p_value": "chisquare", "Z-test p_value": "z",
           "Wasserstein distance (normed)": "wasserstein", "Jensen-Shannon distance": "jensenshannon", "PSI": "psi"}
ref = pd.read_csv(sys.argv[1]).drop(columns=["y"])
cur = pd.read_csv(sys.argv[2]).drop(columns=["y"])
run = Report([DataDriftPreset()], include_tests=True).run(current_data=cur, reference_data=ref).dict()
out = {"columns": {}}
for m in run["metrics"]:
    config = m["config"]
    if config["type"] == "evidently:metric_v2:ValueDrift":
        out["columns"][config["column"]] = {"method": DISPLAY.get(config["method"], config["method"]), "score": float(m["value"]), "threshold": config["threshold"]}
    elif config["type"] == "evidently:metric_v2:DriftedColumnsCount":
        out["share"] = float(m["value"]["share"])
for t in run["tests"]:
    params = t["metric_config"]["params"]
    if params.get("type") == "evidently:metric_v2:ValueDrift":
        out["columns"][params["column"]]["drifted"] = t["status"] == "FAIL"
print(json.dumps(out))
`;

let tw: TempWorkspace;
let ctx: ToolContext;

const rand = createRandom(7);
const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
const pick = (items: string[], p: number[]) => {
  let u = rand();
  for (const [i, w] of p.entries()) if ((u -= w) < 0) return items[i];
  return items[items.length - 1];
};

/** A CSV of numbers of several shapes, a small integer column, text categories and a target; `s` shifts some of them. */
async function writeData(file: string, n: number, s: number): Promise<void> {
  const lines = ["normal,normal_shift,lognormal_scale,uniform,ints_ten,ints_wide,plan,answer,y"];
  for (let i = 0; i < n; i++) {
    const row = [
      normal().toFixed(6),
      (normal() + 0.3 * s).toFixed(6),
      (Math.exp(normal() * 0.5) * (1 + 0.4 * s)).toFixed(6),
      rand().toFixed(6),
      String(Math.floor(rand() * 10)),
      String(Math.floor(rand() * (60 + 30 * s))),
      pick(["basic", "pro", "team", "edu"], s ? [0.25, 0.35, 0.25, 0.15] : [0.4, 0.3, 0.2, 0.1]),
      pick(["no", "yes"], [0.6, 0.4]),
    ];
    lines.push(`${row.join(",")},${(Number(row[0]) + Number(row[1]) + normal()).toFixed(6)}`);
  }
  await writeFile(join(tw.dir, "data", file), `${lines.join("\n")}\n`);
}

before(async () => {
  tw = await makeTempWorkspace("dw-drift-evidently-");
  ctx = await createToolContext({ cwd: tw.dir, origin: { via: "test" } });
});
after(async () => tw.cleanup());

for (const [name, nRef, nCur, methods] of [
  ["large reference (the distances)", 3000, 2500, ["jensenshannon", "wasserstein"]],
  ["small reference (the tests)", 800, 700, ["chisquare", "ks", "z"]],
] as const) {
  test(`detect_model_drift on two datasets equals Evidently's DataDriftPreset: ${name}`, { timeout: 120_000 }, async () => {
    const tag = String(nRef);
    await writeData(`ref${tag}.csv`, nRef, 0);
    await writeData(`cur${tag}.csv`, nCur, 1);
    ok(await runTool("load_dataset", { path: `data/ref${tag}.csv`, dataset_id: `ref${tag}` }, ctx));
    ok(await runTool("load_dataset", { path: `data/cur${tag}.csv`, dataset_id: `cur${tag}` }, ctx));
    const run = ok(await runTool("train_model", { dataset_id: `ref${tag}`, target: "y" }, ctx));
    const d = ok(await runTool("detect_model_drift", { model_id: run.run_id, baseline_dataset_id: `ref${tag}`, dataset_id: `cur${tag}` }, ctx));
    const { stdout } = await promisify(execFile)(python, ["-c", EVIDENTLY, join(tw.dir, "data", `ref${tag}.csv`), join(tw.dir, "data", `cur${tag}.csv`)], {
      maxBuffer: 16 << 20,
      timeout: 100_000,
    });
    const ev = JSON.parse(stdout) as { share: number; columns: Record<string, { method: string; score: number; threshold: number; drifted: boolean }> };
    assert.deepEqual(d.columns.map((c: { column: string }) => c.column).sort(), Object.keys(ev.columns).sort());
    for (const c of d.columns as { column: string; method: string; statistic: number; p_value: number | null; threshold: number; drifted: boolean }[]) {
      const e = ev.columns[c.column];
      const score = c.p_value ?? c.statistic;
      assert.equal(c.method, e.method, `${c.column}: method`);
      assert.equal(c.threshold, e.threshold, `${c.column}: threshold`);
      assert.ok(Math.abs(score - e.score) <= 1e-6 * Math.max(1, Math.abs(e.score)), `${c.column}: dw ${score}, Evidently ${e.score}`);
      assert.equal(c.drifted, e.drifted, `${c.column}: verdict`);
    }
    assert.ok(Math.abs(d.share_drifted - ev.share) < 1e-12, `share: dw ${d.share_drifted}, Evidently ${ev.share}`);
    assert.deepEqual([...new Set(d.columns.map((c: { method: string }) => c.method))].sort(), methods);
    assert.ok(d.drifted_columns.length > 0 && d.drifted_columns.length < d.columns.length, "some columns drift, some do not");
  });
}
