import { test } from "node:test";
import assert from "node:assert/strict";
import { scanDatasetPii, scanDatasetPiiColumns } from "../../../../src/governance/pii/scanDatasetPii.js";
import { detectNumber, detectText } from "../../../../src/governance/pii/detectValue.js";
import { columnNameEvidence } from "../../../../src/governance/pii/columnNameEvidence.js";
import { PII_ENTITIES, type PiiEntity } from "../../../../src/governance/pii/PiiFinding.js";
import { isDwError } from "../../../../src/errors/DwError.js";
import type { Dataset } from "../../../../src/data/Dataset.js";
import { makePiiFixture, makeRandom } from "./piiFixture.js";

const { ds, columns } = makePiiFixture(2000, 7);

test("the fixture has at least 20 columns, personal data and look-alikes", () => {
  assert.ok(columns.length >= 20, `${columns.length} columns`);
  assert.ok(columns.filter((c) => c.entities.length > 0).length >= 20);
  assert.ok(columns.filter((c) => c.entities.length === 0).length >= 12);
});

test("per column: precision and recall of the (column, entity) findings are both at least 0.95", () => {
  const findings = scanDatasetPii(ds);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const wrong: string[] = [];
  for (const c of columns) {
    const found = new Set(findings.filter((f) => f.column === c.column.name).map((f) => f.entity));
    for (const e of found) {
      if (c.entities.includes(e)) tp++;
      else {
        fp++;
        wrong.push(`false positive: ${c.column.name} as ${e}`);
      }
    }
    for (const e of c.entities) {
      if (!found.has(e)) {
        fn++;
        wrong.push(`missed: ${c.column.name} (${e})`);
      }
    }
  }
  const precision = tp / (tp + fp);
  const recall = tp / (tp + fn);
  console.log(`column level: ${columns.length} columns, tp ${tp}, fp ${fp}, fn ${fn}, precision ${precision.toFixed(4)}, recall ${recall.toFixed(4)}`);
  assert.ok(precision >= 0.95, `precision ${precision}: ${wrong.join("; ")}`);
  assert.ok(recall >= 0.95, `recall ${recall}: ${wrong.join("; ")}`);
  // Every finding on a personal-data column is confident; the contract's fields are filled.
  for (const f of findings) {
    assert.ok(f.confidence >= 0.75, `${f.column} ${f.entity} confidence ${f.confidence}`);
    assert.ok(f.share > 0.9 || ["contact", "agent_notes", "login"].includes(f.column), `${f.column} ${f.entity} share ${f.share}`);
    assert.ok(Math.abs(f.share - f.matched / f.sampled) <= 0.0005, `${f.column}: share ${f.share} is not ${f.matched} / ${f.sampled}`);
    assert.ok(f.examples.length >= 1 && f.examples.length <= 3);
  }
});

test("per value: precision and recall of the detectors over every fixture value are both at least 0.95", () => {
  const perEntity = new Map<PiiEntity, { tp: number; fp: number; fn: number }>(PII_ENTITIES.map((e) => [e, { tp: 0, fp: 0, fn: 0 }]));
  for (const c of columns) {
    const context = columnNameEvidence(c.column.name).mask;
    for (let i = 0; i < ds.rows; i++) {
      const v = c.column.values[i];
      if (v === null || (typeof v === "number" && Number.isNaN(v))) continue;
      const mask = typeof v === "number" ? detectNumber(v, context) : detectText(v, context);
      const label = c.labels[i];
      PII_ENTITIES.forEach((e, k) => {
        const hit = (mask & (1 << k)) !== 0;
        const s = perEntity.get(e)!;
        if (hit && label === e) s.tp++;
        else if (hit) s.fp++;
        else if (label === e) s.fn++;
      });
    }
  }
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const [e, s] of perEntity) {
    tp += s.tp;
    fp += s.fp;
    fn += s.fn;
    console.log(
      `value level ${e.padEnd(15)} tp ${String(s.tp).padStart(5)} fp ${String(s.fp).padStart(4)} fn ${String(s.fn).padStart(4)} precision ${(s.tp / (s.tp + s.fp || 1)).toFixed(4)} recall ${(s.tp / (s.tp + s.fn || 1)).toFixed(4)}`,
    );
    assert.ok(s.tp / (s.tp + s.fp) >= 0.95, `${e}: value precision ${s.tp}/${s.tp + s.fp}`);
    assert.ok(s.tp / (s.tp + s.fn) >= 0.95, `${e}: value recall ${s.tp}/${s.tp + s.fn}`);
  }
  console.log(`value level all: precision ${(tp / (tp + fp)).toFixed(4)}, recall ${(tp / (tp + fn)).toFixed(4)}`);
});

test("look-alike columns are not reported: GUIDs, order numbers, 12-letter words, 7-digit integers, bad checksums, versions, timestamps, plain dates, hashes", () => {
  const lookAlikes = columns.filter((c) => c.entities.length === 0).map((c) => c.column.name);
  const findings = scanDatasetPii(ds, { columns: lookAlikes });
  assert.deepEqual(findings, []);
});

test("examples are masked: no raw value, and at most two digits of a number", () => {
  for (const f of scanDatasetPii(ds)) {
    const col = ds.columns.find((c) => c.name === f.column)!;
    const raw = new Set<string>();
    for (let i = 0; i < ds.rows; i++) {
      const v = col.values[i];
      if (v !== null && !(typeof v === "number" && Number.isNaN(v))) raw.add(String(v));
    }
    for (const ex of f.examples) {
      assert.ok(!raw.has(ex), `${f.column}: example '${ex}' is a raw value`);
      for (const r of raw) if (r.length >= 6) assert.ok(!ex.includes(r), `${f.column}: example '${ex}' contains '${r}'`);
      if (["CREDIT_CARD", "US_SSN", "PHONE_NUMBER", "IBAN_CODE"].includes(f.entity))
        assert.ok(ex.replace(/\D/g, "").length <= 2, `${f.column}: '${ex}' shows too many digits`);
      if (f.entity === "DATE_OF_BIRTH") assert.doesNotMatch(ex, /\d/);
    }
  }
});

test("evidence: the name alone decides only when there are too few values to judge; values alone decide on checksummed entities", () => {
  const tiny: Dataset = {
    rows: 3,
    columns: [
      { name: "email", type: "string", values: [null, null, null], nulls: 3 },
      { name: "phone_type", type: "string", values: ["mobile", "home", "work"], nulls: 0 },
      { name: "customer_name", type: "string", values: ["Ann Lee", "Bo Chan", "Cy Roe"], nulls: 0 },
      { name: "label", type: "string", values: ["Ann Lee", "Bo Chan", "Cy Roe"], nulls: 0 },
    ],
  };
  const f = scanDatasetPii(tiny);
  assert.deepEqual(
    f.map((x) => [x.column, x.entity, x.evidence]),
    [
      ["email", "EMAIL_ADDRESS", "name"],
      ["customer_name", "PERSON", "name+value"],
    ],
  );
  assert.equal(f[0].sampled, 0);
  assert.ok(f[0].confidence < f[1].confidence);

  const many: Dataset = {
    rows: 100,
    columns: [{ name: "email", type: "string", values: Array.from({ length: 100 }, (_, i) => `category ${i % 3}`), nulls: 0 }],
  };
  assert.deepEqual(scanDatasetPii(many), [], "a column named email whose values are not emails is not reported once there are enough values");
});

test("large columns are sampled: sampled = sample size, the same result for the same seed, and close to the full scan", () => {
  const rows = 60_000;
  const rnd = makeRandom(3);
  const values: (string | null)[] = Array.from({ length: rows }, (_, i) => (i % 10 === 0 ? null : rnd() < 0.6 ? `user${i}@example.com` : `note ${i}`));
  const big: Dataset = { rows, columns: [{ name: "notes", type: "string", values, nulls: values.filter((v) => v === null).length }] };
  const a = scanDatasetPii(big);
  const b = scanDatasetPii(big);
  assert.deepEqual(a, b);
  assert.equal(a.length, 1);
  assert.equal(a[0].sampled, 10_000);
  const full = scanDatasetPii(big, { sampleSize: rows });
  assert.equal(full[0].sampled, rows - big.columns[0].nulls);
  assert.ok(Math.abs(a[0].share - full[0].share) < 0.02, `sample ${a[0].share} vs full ${full[0].share}`);
  const other = scanDatasetPii(big, { seed: 99 });
  assert.equal(other[0].sampled, 10_000);
  const small = scanDatasetPiiColumns(big, { sampleSize: 500 });
  assert.equal(small[0].sampled, 500);
});

test("bad options are INVALID_INPUT errors naming the field", () => {
  assert.throws(
    () => scanDatasetPii(ds, { columns: ["nope"] }),
    (e: unknown) => isDwError(e) && e.code === "INVALID_INPUT" && /nope/.test(e.message) && /customer_email/.test(e.hint ?? ""),
  );
  assert.throws(
    () => scanDatasetPii(ds, { sampleSize: 0 }),
    (e: unknown) => isDwError(e) && e.code === "INVALID_INPUT" && e.details?.field === "sample_size",
  );
});
