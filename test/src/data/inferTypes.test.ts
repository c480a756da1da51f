import { test } from "node:test";
import assert from "node:assert/strict";
import { isoDate, isoTimestamp, toNumber } from "../../../src/data/inferTypes.js";

/** What toISOString says, in dw's form: no ".000", "Z" only for UTC. */
function reference(ms: number, utc: boolean): string {
  const s = new Date(ms).toISOString();
  const t = s.endsWith(".000Z") ? s.slice(0, -5) : s.slice(0, -1);
  return utc ? `${t}Z` : t;
}

test("isoTimestamp and isoDate agree with toISOString from year 0 to 9999, across leap days, and beyond it", () => {
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const edges = [
    0, -1, 1, 86_399_999, -86_400_000, 951_782_400_000, 951_868_799_999, 253_402_300_799_999, 253_402_300_800_000, -62_167_219_200_000, -62_167_219_200_001,
  ];
  const samples = [...edges, ...Array.from({ length: 200_000 }, () => Math.floor((rand() - 0.5) * 5e14))];
  for (const [i, ms] of samples.entries()) assert.equal(isoTimestamp(ms, i % 2 === 0), reference(ms, i % 2 === 0), `ms ${ms}`);
  assert.equal(isoTimestamp(978_307_260_000, false), "2001-01-01T00:01:00");
  assert.equal(isoTimestamp(1_706_783_400_250, true), "2024-02-01T10:30:00.250Z");
  for (let d = -719_528; d < 2_932_897; d += 13) assert.equal(isoDate(d), new Date(d * 86_400_000).toISOString().slice(0, 10), `day ${d}`);
  assert.equal(isoDate(19_782), "2024-02-29");
});

test("toNumber takes what a data file means by a number, nothing JavaScript adds", () => {
  for (const [t, v] of [
    ["12", 12],
    ["-1.5", -1.5],
    [".5", 0.5],
    ["1e-3", 0.001],
    ["+3", 3],
    ["007", 7],
    ["1e999", Infinity],
  ] as const)
    assert.equal(toNumber(t), v, t);
  for (const t of ["0x1f", "0b1", "0o7", "Infinity", "-Infinity", "1,000", "1_000", "", "abc", "1e"]) assert.ok(Number.isNaN(toNumber(t)), t);
});
