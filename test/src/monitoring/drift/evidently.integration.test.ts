import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { columnDrift } from "../../../../src/monitoring/drift/columnDrift.js";
import { type DriftColumnData, type DriftMethod, driftScore } from "../../../../src/monitoring/drift/DriftMethod.js";
import { repoRoot } from "../../../helpers/tempWorkspace.js";

// dw's drift statistics against the real Evidently 0.7.23 (.venv-evidently, made by
// `node scripts/setup.mjs --for-tests`) on seeded data: evidently_agreement.py draws four scenarios
// (references of 600, 1000 and 400 values, where DataDriftPreset picks the tests, and one of
// 3,000, where it picks the distances; KS through scipy's exact paths for equal and unequal sizes
// and its asymptotic one for a current of 12,000), columns of several distributions with and
// without a shift, integers wide and narrow, few-unique numbers, binary numbers and strings,
// categories; Evidently scores each column by its default choice (a DataDriftPreset Report) and by
// every method that applies. dw must give the same score to 1e-6, the same verdict and the same choice.

const python = process.env.DW_EVIDENTLY_PYTHON ?? join(repoRoot, ".venv-evidently", "bin", "python");
const script = join(repoRoot, "test", "src", "monitoring", "drift", "evidently_agreement.py");

interface EvidentlyColumn {
  method: DriftMethod;
  score: number;
  threshold: number;
  drifted: boolean;
}
interface Scenario {
  name: string;
  reference: Record<string, (number | string)[]>;
  current: Record<string, (number | string)[]>;
  default: Record<string, EvidentlyColumn>;
  methods: Record<DriftMethod, Record<string, EvidentlyColumn>>;
}

function columnData(values: (number | string)[]): DriftColumnData {
  if (values.every((v) => typeof v === "number")) return { kind: "number", values: Float64Array.from(values as number[]) };
  const counts = new Map<string, number>();
  for (const v of values) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
  return { kind: "category", counts };
}

/** Equal to 1e-6: absolutely for scores up to 1 (p-values, most distances), relatively above. */
function close(dw: number, evidently: number): boolean {
  return Math.abs(dw - evidently) <= 1e-6 * Math.max(1, Math.abs(evidently));
}

test("dw's drift scores, verdicts and default methods equal Evidently 0.7.23's on the same data", { timeout: 300_000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "dw-evidently-"));
  try {
    const out = join(dir, "agreement.json");
    await promisify(execFile)(python, [script, out], { maxBuffer: 64 << 20, timeout: 280_000 });
    const { scenarios } = JSON.parse(await readFile(out, "utf8")) as { scenarios: Scenario[] };
    const compared = new Map<string, number>();
    const verdicts = new Set<string>();
    let worst = 0;
    const check = (label: string, dw: ReturnType<typeof columnDrift>, ev: EvidentlyColumn) => {
      assert.equal(dw.method, ev.method, `${label}: method`);
      assert.equal(dw.threshold, ev.threshold, `${label}: threshold`);
      const score = driftScore(dw);
      assert.ok(close(score, ev.score), `${label}: dw ${score}, Evidently ${ev.score}`);
      assert.equal(dw.drifted, ev.drifted, `${label}: verdict (score ${ev.score}, threshold ${ev.threshold})`);
      worst = Math.max(worst, Math.abs(score - ev.score) / Math.max(1, Math.abs(ev.score)));
      compared.set(ev.method, (compared.get(ev.method) ?? 0) + 1);
      verdicts.add(`${ev.method}:${ev.drifted}`);
    };
    const defaults = new Set<string>();
    for (const s of scenarios) {
      for (const [column, ev] of Object.entries(s.default)) {
        const dw = columnDrift(columnData(s.reference[column]), columnData(s.current[column]));
        check(`${s.name} / ${column} / default`, dw, ev);
        defaults.add(ev.method);
      }
      for (const [method, columns] of Object.entries(s.methods) as [DriftMethod, Record<string, EvidentlyColumn>][]) {
        for (const [column, ev] of Object.entries(columns)) {
          const dw = columnDrift(columnData(s.reference[column]), columnData(s.current[column]), { method });
          check(`${s.name} / ${column} / ${method}`, dw, ev);
        }
      }
    }
    // The data reach every default choice and exercise every method on several columns, drifted or not.
    assert.deepEqual([...defaults].sort(), ["chisquare", "jensenshannon", "ks", "wasserstein", "z"]);
    for (const method of ["ks", "chisquare", "z", "wasserstein", "jensenshannon", "psi"]) {
      assert.ok((compared.get(method) ?? 0) >= 8, method);
      assert.ok(verdicts.has(`${method}:true`) && verdicts.has(`${method}:false`), `${method}: both verdicts`);
    }
    t.diagnostic(`${[...compared.values()].reduce((a, b) => a + b, 0)} scores compared; largest difference ${worst.toExponential(2)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
