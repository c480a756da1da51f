import { test } from "node:test";
import assert from "node:assert/strict";
import { parseCsv } from "../../../src/data/parseCsv.js";
import { chooseDefaultFeatures } from "../../../src/models/chooseFeatures.js";
import { defaultFeatures } from "../../../src/models/trainingData.js";
import { MAX_CATEGORIES } from "../../../src/models/preprocessing.js";

/** A CSV with a usable column of each kind and a column of each kind dw leaves out. */
function customers(rows: number) {
  const lines = ["id,email,age,plan,signed_up,vip,empty,score,churned"];
  for (let i = 0; i < rows; i++) {
    const score = i === 5 ? "n/a" : String(i % 13);
    lines.push(
      `c${i},user${i}@example.com,${20 + (i % 40)},${["free", "pro", "team"][i % 3]},2024-01-${String(1 + (i % 28)).padStart(2, "0")},${i % 2 ? "true" : "false"},,${score},${i % 2}`,
    );
  }
  return parseCsv(`${lines.join("\n")}\n`, "customers.csv");
}

test("the default features leave out the target, empty columns, numbers with stray text and text with too many values, each with its reason", () => {
  const choice = chooseDefaultFeatures(customers(100), "churned");
  assert.deepEqual(choice.used, ["age", "plan", "signed_up", "vip"]);
  const reasons = Object.fromEntries(choice.skipped.map((s) => [s.column, s.reason]));
  assert.deepEqual(Object.keys(reasons), ["id", "email", "empty", "score", "churned"], "every other column, in dataset order");
  assert.equal(reasons.churned, "the target");
  assert.equal(reasons.empty, "empty: no row has a value");
  assert.equal(reasons.score, "numbers with some text values (line 7 holds 'n/a'): fix or blank those values, then pass it in features");
  assert.equal(reasons.email, `text with 100 distinct values, more than the ${MAX_CATEGORIES} dw one-hot encodes`);
  assert.equal(reasons.id, reasons.email);
});

test("text with at most MAX_CATEGORIES values is a feature; one more value leaves it out", () => {
  const at = chooseDefaultFeatures(customers(MAX_CATEGORIES), "churned");
  assert.ok(at.used.includes("email"));
  const above = chooseDefaultFeatures(customers(MAX_CATEGORIES + 1), "churned");
  assert.ok(!above.used.includes("email"));
});

test("defaultFeatures is chooseDefaultFeatures' used list, so every tool picks the same columns", () => {
  const ds = customers(60);
  assert.deepEqual(defaultFeatures(ds, "churned"), chooseDefaultFeatures(ds, "churned").used);
  assert.deepEqual(defaultFeatures(ds, "age"), chooseDefaultFeatures(ds, "age").used);
});
