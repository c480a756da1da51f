import assert from "node:assert/strict";
import { test } from "node:test";
import { stopRule } from "../../../src/models/stopRule.js";

test("stopAfter keeps exactly that many trees and counts as a spent budget; the first finished tree is reported", () => {
  const reports: number[] = [];
  const rule = stopRule({ stopAfter: 3, onProgress: (n) => reports.push(n) });
  // Asked before trees 1, 2, 3 (go on), then before tree 4 (stop): three trees kept.
  assert.deepEqual([rule.shouldStop(), rule.shouldStop(), rule.shouldStop()], [false, false, false]);
  assert.equal(rule.budgetHit(), false);
  assert.equal(rule.shouldStop(), true);
  assert.equal(rule.budgetHit(), true);
  assert.equal(reports[0], 1);
});

test("a stop asked by the caller ends the fit without counting as a spent budget", () => {
  let stopped = false;
  const rule = stopRule({ stopAfter: 10, stopped: () => stopped });
  assert.equal(rule.shouldStop(), false);
  stopped = true;
  assert.equal(rule.shouldStop(), true);
  assert.equal(rule.budgetHit(), false);
});

test("a deadline already past stops before the first tree is built and counts as a spent budget; none set never stops", () => {
  const past = stopRule({ deadline: Date.now() - 1 });
  assert.equal(past.shouldStop(), true);
  assert.equal(past.budgetHit(), true);
  const free = stopRule({});
  for (let k = 0; k < 1000; k++) assert.equal(free.shouldStop(), false);
  assert.equal(free.budgetHit(), false);
});
