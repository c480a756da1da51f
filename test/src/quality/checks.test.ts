import { test } from "node:test";
import assert from "node:assert/strict";
import type { Dataset } from "../../../src/data/Dataset.js";
import type { GateFinding } from "../../../src/policy/GateReport.js";
import { profileDataset } from "../../../src/quality/profileDataset.js";
import type { ColumnProfile } from "../../../src/quality/TableProfile.js";
import { evaluateProfile } from "../../../src/quality/runQualityGate.js";
import { DEFAULT_THRESHOLDS, type QualityThresholds } from "../../../src/quality/qualityPolicy.js";
import { buildTrainingSnapshot, referenceColumns } from "../../../src/quality/trainingSnapshot.js";
import { csv, filterCsv, selectCsv, vega, vegaText } from "./fixtures.js";

// Every check on real data (vega-datasets), through profileDataset: once where it must fire, once
// where it must not. Drift, range and row count compare with a snapshot built from other real data.

interface Options {
  target?: string;
  features?: string[];
  reference?: Dataset;
  thresholds?: QualityThresholds;
  now?: Date;
}

function check(ds: Dataset, name: string, o: Options = {}): GateFinding[] {
  const ref = o.reference
    ? {
        run_id: "20250101-000000-abcdef",
        snapshot: buildTrainingSnapshot(
          o.reference,
          o.reference.columns.map((c) => c.name),
        ),
      }
    : null;
  const profile = profileDataset(ds, { target: o.target, reference: ref ? referenceColumns(ref.snapshot) : undefined });
  const { findings } = evaluateProfile(
    profile,
    { datasetId: "d", target: o.target, features: o.features },
    o.thresholds ?? DEFAULT_THRESHOLDS,
    ref,
    o.now ?? new Date("2016-01-10T00:00:00Z"),
  );
  return findings.filter((f) => f.check === name);
}

const flagged = (fs: GateFinding[]) => fs.filter((f) => f.status !== "pass");
const one = (fs: GateFinding[], column: string) => fs.find((f) => f.column === column) ?? assert.fail(`no finding for ${column}: ${JSON.stringify(fs)}`);

const seattle = vega("seattle-weather");
const weatherText = vegaText("weather");
const seattleOf2 = csv(filterCsv(weatherText, (f) => f[0] === "Seattle"));
const newYork = csv(filterCsv(weatherText, (f) => f[0] === "New York"));
const seattleText = vegaText("seattle-weather");

test("null_rate fires on birdstrikes' speeds (28% missing: warn; as the target: fail), not on seattle-weather", () => {
  const speed = one(check(vega("birdstrikes"), "null_rate"), "Speed IAS in knots");
  assert.equal(speed.status, "warn");
  assert.ok(Math.abs((speed.value as number) - 2836 / 10000) < 1e-4);
  assert.match(speed.message, /28% missing/);
  assert.equal(one(check(vega("birdstrikes"), "null_rate", { target: "Speed IAS in knots" }), "Speed IAS in knots").status, "fail");
  const clean = check(seattle, "null_rate");
  assert.equal(clean.length, 6);
  assert.deepEqual(flagged(clean), []);
});

test("duplicate_rows fires on birdstrikes' categorical columns and names the rows, not on seattle-weather", () => {
  const ds = csv(selectCsv(vegaText("birdstrikes"), ["Origin State", "Phase of flight", "Wildlife Size", "Time of day"]));
  const [f] = check(ds, "duplicate_rows");
  assert.equal(f.status, "fail");
  assert.ok((f.value as number) > 0.2);
  assert.equal(f.rows?.length, 10);
  const [clean] = check(seattle, "duplicate_rows");
  assert.equal(clean.status, "pass");
  assert.equal(clean.value, 0);
});

test("constant_column fires on weather.csv's Seattle rows (location is one value; as target: fail), not on seattle-weather", () => {
  const f = one(check(seattleOf2, "constant_column"), "location");
  assert.equal(f.status, "warn");
  assert.match(f.message, /'Seattle'/);
  assert.equal(one(check(seattleOf2, "constant_column", { target: "location" }), "location").status, "fail");
  assert.deepEqual(flagged(check(seattle, "constant_column")), []);
});

test("id_like_feature fires on airports' iata codes and zipcodes' sorted zip codes, fails when named, warns when implicit", () => {
  const airports = vega("airports");
  const iata = one(check(airports, "id_like_feature", { features: ["iata", "latitude"] }), "iata");
  assert.equal(iata.status, "fail");
  assert.match(iata.message, /every one of its values is distinct/);
  assert.equal(one(check(airports, "id_like_feature"), "iata").status, "warn");
  // A data frame saved with its index: the row numbers come back as a column.
  const withIndex = (order: (i: number) => number) =>
    csv(
      seattleText
        .trim()
        .split("\n")
        .map((l, i) => (i === 0 ? `row,${l}` : `${order(i - 1)},${l}`))
        .join("\n") + "\n",
    );
  const row = one(
    check(
      withIndex((i) => i),
      "id_like_feature",
      { features: ["row", "wind"] },
    ),
    "row",
  );
  assert.equal(row.status, "fail");
  assert.match(row.message, /increase down the rows/);
  const shuffled = one(
    check(
      withIndex((i) => (i * 7919) % 1461),
      "id_like_feature",
      { features: ["row", "wind"] },
    ),
    "row",
  );
  assert.match(shuffled.message, /nearly every number in between/);
  // Zip codes are distinct whole numbers too, but neither sorted nor dense: not reported.
  assert.deepEqual(flagged(check(vega("zipcodes"), "id_like_feature", { features: ["zip_code", "latitude"] })), []);
  assert.deepEqual(flagged(check(seattle, "id_like_feature", { target: "weather" })), []);
  // A 'customer_id'-style name needs mostly distinct values: birdstrikes' airport names are not IDs.
  assert.deepEqual(flagged(check(vega("birdstrikes"), "id_like_feature", { features: ["Airport Name", "Origin State"] })), []);
});

test("type_mismatch fires on a number column broken by one bad value (with the example) and on a type change since training, not on clean data", () => {
  const broken = csv(seattleText.replace("2012-01-10,1.0,6.1,0.6,3.4,rain", "2012-01-10,1.0,6.1,0.6,calm,rain"));
  const f = one(check(broken, "type_mismatch"), "wind");
  assert.equal(f.status, "fail");
  assert.match(f.message, /'calm'/);
  const changed = one(check(broken, "type_mismatch", { reference: seattle }), "wind");
  assert.equal(changed.status, "fail");
  assert.equal(changed.threshold, "number");
  assert.deepEqual(flagged(check(seattle, "type_mismatch", { reference: seattle })), []);
});

test("out_of_range fires when New York's weather is checked against Seattle's training range, not for Seattle 2014–15 against 2012–15", () => {
  const fs = check(newYork, "out_of_range", { reference: seattleOf2 });
  assert.equal(one(fs, "temp_min").status, "fail");
  assert.match(one(fs, "temp_min").message, /below/);
  const late = csv(filterCsv(seattleText, (f) => f[0] >= "2014"));
  const ok = check(late, "out_of_range", { reference: seattle });
  assert.equal(ok.length, 4);
  assert.deepEqual(flagged(ok), []);
});

test("row_count_change fires when one year is checked against four (warn) or one month (fail), not for the same number of rows", () => {
  const year = csv(filterCsv(seattleText, (f) => f[0].startsWith("2015")));
  assert.equal(check(year, "row_count_change", { reference: seattle })[0].status, "warn");
  const month = csv(filterCsv(seattleText, (f) => f[0].startsWith("2015-12")));
  assert.equal(check(month, "row_count_change", { reference: seattle })[0].status, "fail");
  const [same] = check(newYork, "row_count_change", { reference: seattleOf2 });
  assert.equal(same.status, "pass");
  assert.equal(same.value, 0);
  assert.deepEqual(check(seattle, "row_count_change"), [], "no earlier training: nothing to compare");
});

test("freshness fires when the newest date is older than the policy's limits, not within them or without a limit", () => {
  const limits: QualityThresholds = { ...DEFAULT_THRESHOLDS, freshness: { warn_after_days: 7, fail_after_days: 30 } };
  const [late] = check(seattle, "freshness", { thresholds: limits, now: new Date("2016-03-01T00:00:00Z") });
  assert.equal(late.status, "fail");
  assert.equal(late.column, "date");
  assert.equal(late.value, 61);
  assert.equal(check(seattle, "freshness", { thresholds: limits, now: new Date("2016-01-15T00:00:00Z") })[0].status, "warn");
  assert.equal(check(seattle, "freshness", { thresholds: limits, now: new Date("2016-01-02T00:00:00Z") })[0].status, "pass");
  const [noLimit] = check(seattle, "freshness", { now: new Date("2026-01-01T00:00:00Z") });
  assert.equal(noLimit.status, "pass");
  assert.match(noLimit.message, /no age limit/);
  const wrong = check(seattle, "freshness", { thresholds: { ...limits, freshness: { column: "wind", fail_after_days: 1 } } });
  assert.equal(wrong[0].status, "fail");
  assert.match(wrong[0].message, /not a date column/);
});

test("target_leakage fires on birdstrikes' repair cost predicting the total cost (and on a class code), not on seattle-weather", () => {
  const f = one(check(vega("birdstrikes"), "target_leakage", { target: "Cost Total $" }), "Cost Repair");
  assert.equal(f.status, "fail");
  assert.ok((f.value as number) > 0.98);
  // A text feature that names the class: purity 1 against a baseline of 44%.
  const coded = csv(
    seattleText
      .trim()
      .split("\n")
      .map((l, i) => (i === 0 ? `${l},code` : `${l},W-${l.split(",")[5].slice(0, 2)}`))
      .join("\n") + "\n",
  );
  const code = one(check(coded, "target_leakage", { target: "weather" }), "code");
  assert.equal(code.status, "fail");
  assert.equal(code.value, 1);
  const [clean] = check(seattle, "target_leakage", { target: "weather" });
  assert.equal(clean.status, "pass");
  assert.equal(clean.column, "precipitation");
});

test("class_imbalance fires on birdstrikes' damage (Destroyed: 1 in 10,000: fail) and seattle's snow (1.8%: warn), not on rain vs sun", () => {
  const [damage] = check(vega("birdstrikes"), "class_imbalance", { target: "Effect Amount of damage" });
  assert.equal(damage.status, "fail");
  assert.equal(damage.value, 0.0001);
  const [snow] = check(seattle, "class_imbalance", { target: "weather" });
  assert.equal(snow.status, "warn");
  assert.match(snow.message, /'snow' with 26 of 1461/);
  const rainOrSun = csv(filterCsv(seattleText, (f) => f[5] === "rain" || f[5] === "sun"));
  assert.equal(check(rainOrSun, "class_imbalance", { target: "weather" })[0].status, "pass");
});

test("drift fires for New York against Seattle's snapshot (numbers and categories), not for temperatures of 2014–15 against 2012–13", () => {
  const fs = check(newYork, "drift", { reference: seattleOf2 });
  assert.equal(one(fs, "temp_min").status, "fail");
  assert.equal(one(fs, "wind").status, "fail");
  assert.match(one(fs, "wind").message, /Largest change: /);
  assert.equal(one(fs, "weather").status, "warn");
  const early = csv(filterCsv(seattleText, (f) => f[0] < "2014"));
  const late = csv(filterCsv(seattleText, (f) => f[0] >= "2014"));
  const ok = check(late, "drift", { reference: early });
  for (const c of ["temp_max", "temp_min", "wind", "precipitation"]) assert.equal(one(ok, c).status, "pass", c);
  // The labels of seattle-weather did change between those years (far more 'sun', less 'drizzle'):
  // real drift in a categorical column, and the check sees it.
  assert.equal(one(ok, "weather").status, "fail");
});

test("an estimated distinct count (a SQL table past APPROXIMATE_FROM_ROWS) calls a column all distinct from 90%, and the message says it was estimated", async () => {
  const { idLikeReason } = await import("../../../src/quality/checks/suitability.js");
  const key: ColumnProfile = { name: "account", type: "number", count: 20_000_000, nulls: 0, distinct: 19_200_000, integers: true, min: 1, max: 20_000_000 };
  // HyperLogLog missed the exact count by 4% (it may err either way): still a key.
  const estimated: ColumnProfile = { ...key, distinctApproximate: true };
  assert.match(idLikeReason(estimated) ?? "", /nearly every number in between \(a key or row number\) \(by an estimated distinct count\)$/);
  // The same count, exact, is not all distinct: 800,000 values repeat.
  assert.equal(idLikeReason(key), null);
  // Estimated at half the rows: not a key either way.
  assert.equal(idLikeReason({ ...estimated, distinct: 10_000_000 }), null);
});
