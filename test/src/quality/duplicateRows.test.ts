import { test } from "node:test";
import assert from "node:assert/strict";
import { duplicateRows, type RowKey } from "../../../src/quality/profile/duplicateRows.js";
import { profileTable } from "../../../src/quality/profileTable.js";
import { createRandom } from "../../../src/models/random.js";
import type { Dataset } from "../../../src/data/Dataset.js";

/** Duplicates the plain way: a row is one when the same values (NaN equal to NaN, as pandas) came earlier. */
function reference(columns: (Float64Array | (string | null)[])[], rows: number): { count: number; rows: number[] } {
  const seen = new Set<string>();
  const dups: number[] = [];
  for (let i = 0; i < rows; i++) {
    const key = JSON.stringify(columns.map((c) => (typeof c[i] === "number" && Number.isNaN(c[i]) ? "NaN" : c[i])));
    if (seen.has(key)) dups.push(i);
    else seen.add(key);
  }
  return { count: dups.length, rows: dups };
}

function table(seed: number, rows: number, domain: number): { ds: Dataset; columns: (Float64Array | (string | null)[])[] } {
  const rand = createRandom(seed);
  const a = Float64Array.from({ length: rows }, () => (rand() < 0.1 ? NaN : Math.floor(rand() * domain)));
  const b = Float64Array.from({ length: rows }, () => Math.floor(rand() * 3) / 2);
  const c = Array.from({ length: rows }, () => (rand() < 0.1 ? null : ["x", "y", "z"][Math.floor(rand() * 3)]));
  const ds: Dataset = {
    rows,
    columns: [
      { name: "a", type: "number", values: a, nulls: a.filter(Number.isNaN).length },
      { name: "b", type: "number", values: b, nulls: 0 },
      { name: "c", type: "string", values: c, nulls: c.filter((v) => v === null).length },
    ],
  };
  return { ds, columns: [a, b, c] };
}

test("duplicate rows over partitions are the rows an earlier identical row precedes, and the examples are the first of them", () => {
  for (const [seed, rows, domain] of [
    [1, 50, 3],
    [2, 20_000, 40],
    [3, 200_000, 5_000],
    [4, 200_000, 1e9],
  ]) {
    const { ds, columns } = table(seed, rows, domain);
    const want = reference(columns, rows);
    const p = profileTable(ds);
    assert.equal(p.duplicateRows, want.count, `seed ${seed}`);
    assert.deepEqual(p.duplicateExamples, want.rows.slice(0, 10));
  }
});

test("rows whose hashes all collide are still compared value by value, never counted for their hash", () => {
  const { columns } = table(5, 5_000, 7);
  const keys: RowKey[] = [
    { kind: "number", values: columns[0] as Float64Array },
    { kind: "number", values: columns[1] as Float64Array },
    { kind: "text", values: columns[2] as (string | null)[] },
  ];
  const want = reference(columns, 5_000);
  const got = duplicateRows(new Uint32Array(5_000), keys, 25);
  assert.equal(got.duplicateRows, want.count);
  assert.deepEqual(got.examples, want.rows.slice(0, 25));
});
