import { test } from "node:test";
import assert from "node:assert/strict";
import { parseCsv } from "../../../src/data/parseCsv.js";
import { getColumn, type Column } from "../../../src/data/Dataset.js";
import { chooseTask, FEW_WHOLE_VALUES } from "../../../src/models/chooseTask.js";
import { inferTask } from "../../../src/models/trainingData.js";

/** One column read the way load_dataset reads a CSV. */
function column(values: readonly (string | number)[]): Column {
  const ds = parseCsv(`y\n${values.join("\n")}\n`, "test.csv");
  return getColumn(ds, "y")!;
}

test("a wine-class label coded 0/1/2 is a regression by the rule, and the rule says so with a warning that suggests classification", () => {
  const choice = chooseTask(column([0, 1, 2, 1, 0, 2, 2]));
  assert.equal(choice.value, "regression");
  assert.equal(choice.rule, "the target 'y' is numeric with 3 distinct whole values (0 to 2); trained as a regression");
  assert.match(choice.warning ?? "", /only 3 whole values \(0, 1, 2\).*task: classification/);
});

test("a target of many or fractional values is a regression without a warning, and the rule says how many values it saw", () => {
  const many = chooseTask(column(Array.from({ length: 50 }, (_, i) => i)));
  assert.equal(many.value, "regression");
  assert.equal(many.rule, `the target 'y' is numeric with more than ${FEW_WHOLE_VALUES} distinct whole values (0 to 49); trained as a regression`);
  assert.equal(many.warning, undefined);
  const fractional = chooseTask(column([1.5, 2, 3, 2.25]));
  assert.equal(fractional.rule, "the target 'y' is numeric with 4 distinct values, not all whole (1.5 to 3); trained as a regression");
  assert.equal(fractional.warning, undefined);
});

test("exactly FEW_WHOLE_VALUES whole values still warn; one more does not", () => {
  const at = chooseTask(column(Array.from({ length: FEW_WHOLE_VALUES }, (_, i) => i + 1)));
  assert.ok(at.warning);
  const above = chooseTask(column(Array.from({ length: FEW_WHOLE_VALUES + 1 }, (_, i) => i + 1)));
  assert.equal(above.warning, undefined);
});

test("two numeric values, text, booleans and missing values: classification, each with its own rule", () => {
  assert.deepEqual(chooseTask(column([0, 1, "", 1, 0])), {
    value: "classification",
    rule: "the target 'y' is numeric with two distinct values (0 and 1); trained as a classification",
  });
  assert.equal(chooseTask(column(["red", "white", "red"])).rule, "the target 'y' holds text values; trained as a classification");
  assert.equal(chooseTask(column(["true", "false", "true"])).rule, "the target 'y' holds true/false values; trained as a classification");
});

test("inferTask answers chooseTask's value, so every tool infers the same task", () => {
  for (const values of [[0, 1, 2], [0, 1], ["a", "b"], [1.5, 2.5, 3.5], [7]]) {
    const col = column(values);
    assert.equal(inferTask(col), chooseTask(col).value);
  }
});
