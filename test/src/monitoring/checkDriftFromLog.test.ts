import { test } from "node:test";
import assert from "node:assert/strict";
import { checkDrift } from "../../../src/monitoring/checkDrift.js";
import { currentFromLog } from "../../../src/monitoring/currentFromLog.js";
import type { DriftBaseline } from "../../../src/monitoring/DriftSide.js";
import type { FeedbackRecord, InferenceRecord } from "../../../src/monitoring/log/InferenceRecord.js";
import { OTHER_CATEGORY } from "../../../src/monitoring/driftData.js";

const shape = {
  task: "classification" as const,
  columns: [
    { name: "age", kind: "number" as const },
    { name: "member", kind: "category" as const },
    { name: "email", kind: "category" as const },
  ],
};

function record(i: number, v: number, x: InferenceRecord["x"], y: InferenceRecord["y"], err?: string): InferenceRecord {
  return { t: 1_700_000_000_000 + i, id: `r${i}`, row: 0, v, x, y, ms: 1, ...(err ? { err } : {}) };
}

test("a log window as current data: the version checked only, failed requests left out, PII skipped, values as datasets hold them, labels joined", () => {
  const records = [
    record(0, 1, { age: 30, member: true, email: "hmac:00ff" }, "yes"),
    record(1, 2, { age: "41", member: false, email: "hmac:11ee" }, "no"),
    record(2, 2, {}, null, "INVALID_INPUT"),
    record(3, 2, { age: null, member: "true", email: null }, "yes"),
    record(4, 2, { age: 52, member: null, email: "hmac:22dd" }, true),
  ];
  const feedback = new Map<string, FeedbackRecord>([
    ["r1:0", { t: 5, id: "r1", row: 0, label: "no" }],
    ["r4:0", { t: 6, id: "r4", row: 0, label: false }],
    ["r0:0", { t: 7, id: "r0", row: 0, label: "yes" }],
  ]);
  const c = currentFromLog(records, shape, feedback, { deployment: "churn@production", version: 2, pii: new Set(["email"]) });
  assert.equal(c.rows, 3);
  assert.deepEqual(c.describe.versions, [2]);
  assert.equal(c.describe.from, new Date(1_700_000_000_001).toISOString());
  assert.equal(c.describe.to, new Date(1_700_000_000_004).toISOString());
  const age = c.features.get("age")!;
  assert.ok(age.kind === "number");
  assert.deepEqual([...age.values], [41, NaN, 52]);
  assert.deepEqual(c.features.get("member"), { kind: "category", values: ["false", "true", null] });
  assert.equal(c.features.has("email"), false);
  assert.deepEqual(
    c.skipped?.map((s) => s.column),
    ["email"],
  );
  assert.deepEqual(c.prediction, { kind: "category", values: ["no", "yes", "true"] });
  assert.deepEqual(c.labelled, { truth: ["no", "false"], predicted: ["no", "true"] });
});

test("a reference's categories past the kept ones and new ones in traffic are both counted as other; labels give accuracy", () => {
  const n = 2000;
  const baseline: DriftBaseline = {
    describe: { source: "run", run_id: "r", rows: n, compared_rows: 100 },
    task: "classification",
    columns: [{ name: "city", kind: "category" }],
    skipped: [],
    rows: n,
    features: new Map([["city", { kind: "category", values: Array.from({ length: 100 }, (_, i) => (i % 2 ? "paris" : "lyon")) }]]),
    prediction: { kind: "category", values: Array.from({ length: 100 }, (_, i) => (i % 4 ? "no" : "yes")) },
    present: new Map([["city", n]]),
    fullCounts: new Map([["city", { categories: ["paris", "lyon"], counts: [900, 800], other: 300, nulls: 0 }]]),
    performance: { metrics: { accuracy: 0.9 }, classes: ["no", "yes"] },
  };
  // Current: the same shares, its "other" made of cities the reference did not keep.
  const cities = [...Array(90).fill("paris"), ...Array(80).fill("lyon"), ...Array(15).fill("nice"), ...Array(15).fill("brest")];
  const records = cities.map((city, i) => record(i, 1, { city }, i % 4 ? "no" : "yes"));
  const feedback = new Map<string, FeedbackRecord>(
    records.slice(0, 100).map((r, i) => [`${r.id}:0`, { t: 0, id: r.id, row: 0, label: i < 80 ? r.y! : "maybe" }]),
  );
  const current = currentFromLog(records, baseline, feedback, { deployment: "x@y" });
  const report = checkDrift(baseline, current);
  const city = report.columns[0];
  assert.equal(city.method, "jensenshannon");
  assert.ok(city.statistic < 1e-9, `same shares with other lumped: ${city.statistic}`);
  assert.equal(city.drifted, false);
  assert.deepEqual(
    city.reference.top?.map((t) => t.value),
    ["paris", "lyon", "(other)"],
  );
  assert.ok(!JSON.stringify(report).includes(JSON.stringify(OTHER_CATEGORY).slice(1, -1)), "the internal key never reaches the report");
  assert.equal(report.performance?.labelled_rows, 100);
  assert.equal(report.performance?.metrics.accuracy, 0.8, "an unknown label is a wrong answer");
  assert.ok(Math.abs(report.performance!.change.accuracy - -0.1) < 1e-12);
});
