import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "../../helpers/tempWorkspace.js";
import { featureStats } from "../../../src/models/featureStats.js";
import { createRandom } from "../../../src/models/random.js";

const python = process.env.DW_PYTHON ?? join(repoRoot, ".venv", "bin", "python");

test("featureStats (a model's reference for drift) equals numpy's nan-aware count, mean, std (ddof 1), min, max and linear quantiles", () => {
  const rand = createRandom(11);
  const values = Float64Array.from({ length: 5001 }, (_, i) => (i % 17 === 0 ? NaN : Math.round((rand() - 0.3) * 1e4) / 100));
  const s = featureStats(values);
  const script = `
import json, sys, numpy as np
x = np.array(json.loads(sys.stdin.read()), dtype=float)
p = x[~np.isnan(x)]
print(json.dumps({"count": int(p.size), "mean": float(p.mean()), "std": float(p.std(ddof=1)), "min": float(p.min()), "max": float(p.max()),
  "q": [float(np.quantile(p, f)) for f in (0.05, 0.25, 0.5, 0.75, 0.95)]}))`;
  const ref = JSON.parse(
    execFileSync(python, ["-c", script], { input: JSON.stringify(Array.from(values, (v) => (Number.isNaN(v) ? null : v))), encoding: "utf8" }),
  );
  assert.equal(s.count, ref.count);
  assert.equal(s.nulls, values.length - ref.count);
  for (const [ours, theirs] of [
    [s.mean, ref.mean],
    [s.std, ref.std],
    [s.min, ref.min],
    [s.max, ref.max],
    ...Object.values(s.quantiles).map((q, k) => [q, ref.q[k]]),
  ]) {
    assert.ok(Math.abs(ours - theirs) <= 1e-9 * Math.max(1, Math.abs(theirs)), `${ours} vs numpy ${theirs}`);
  }
});
