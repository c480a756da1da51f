import { test } from "node:test";
import assert from "node:assert/strict";
import { parseMagicLine } from "../../../kernel/magic/parseMagicLine.js";
import { MAGIC_SYNTAX } from "../../../kernel/magic/magicSyntax.js";
import { coerceInput } from "../../../src/adapters/coerceInput.js";
import { toolFields } from "../../../src/adapters/toolFields.js";
import { getTool } from "../../../src/index.js";
import { fakeTrain } from "./fakeTool.js";

const t = toolFields(fakeTrain);
const coerce = (line: string, scope: Record<string, unknown> = {}) => coerceInput(t, parseMagicLine(line), { syntax: MAGIC_SYNTAX, scope });

test("values are coerced by the field's type", () => {
  assert.deepEqual(
    coerce(`%dw fake_train d1 --target y --features a, --weights 1,2.5 --test_size 0.3 --seed 7 --overwrite --hyperparameters '{"l2": 0.1}' --algorithm ridge`),
    {
      dataset_id: "d1",
      target: "y",
      features: ["a"],
      weights: [1, 2.5],
      test_size: 0.3,
      seed: 7,
      overwrite: true,
      hyperparameters: { l2: 0.1 },
      algorithm: "ridge",
    },
  );
  assert.deepEqual(coerce("%dw fake_train --data d --target y --overwrite false --features '[\"a b\"]'"), {
    dataset_id: "d",
    target: "y",
    overwrite: false,
    features: ["a b"],
  });
});

test("aliases and kebab-case name the same field", () => {
  assert.deepEqual(coerce("%dw fake_train --dataset-id d --target y --test-size 0.5"), { dataset_id: "d", target: "y", test_size: 0.5 });
});

test("kernel variables: a value, a dotted path, and an object filling a string field by the field's name", () => {
  const scope = { weather: { dataset_id: "seattle-weather", rows: 3 }, run: { run_id: "r1", cols: ["a", "b"] }, n: 0.25, name: "temp_max" };
  assert.deepEqual(coerce("%dw fake_train --data weather --target name --test_size n --features run.cols", scope), {
    dataset_id: "seattle-weather",
    target: "temp_max",
    test_size: 0.25,
    features: ["a", "b"],
  });
  assert.deepEqual(coerce("%dw fake_train --data run.run_id --target y", scope), { dataset_id: "r1", target: "y" });
});

test("quoted values and names that are not kernel variables stay literal", () => {
  const scope = { weather: { dataset_id: "seattle-weather" } };
  assert.deepEqual(coerce(`%dw fake_train --data "weather" --target temp_max`, scope), { dataset_id: "weather", target: "temp_max" });
  assert.deepEqual(coerce("%dw fake_train --data seattle-weather --target y --path data.csv"), {
    dataset_id: "seattle-weather",
    target: "y",
    path: "data.csv",
  });
  assert.deepEqual(coerce("%dw fake_train --data weather.csv --target y"), { dataset_id: "weather.csv", target: "y" });
});

test("errors name what was wrong and what is expected", () => {
  const scope = { weather: { rows: 3 }, run: { run_id: "r1" }, list: [1] };
  const cases: [string, RegExp][] = [
    ["%dw fake_train --data nowhere.x --target y", /kernel variable 'nowhere' is not defined/],
    ["%dw fake_train --data run.nope --target y", /kernel variable 'run' has no field 'nope' \(its fields: run_id\)/],
    ["%dw fake_train --data weather --target y", /'weather' holds an object with no 'dataset_id' field, so it cannot fill --data/],
    ["%dw fake_train --data list --target y", /'list' holds a list; --data expects a string/],
    ["%dw fake_train --data d --target", /--target needs a value: --target <string>/],
    ["%dw fake_train --data d --target y --seed 1.5", /--seed expects an integer, got '1.5'/],
    ["%dw fake_train --data d --target y --test_size x", /--test_size expects a number, got 'x'/],
    ["%dw fake_train --data d --target y --overwrite maybe", /--overwrite expects true or false/],
    ["%dw fake_train --data d --target y --hyperparameters {l2}", /--hyperparameters expects JSON/],
    [
      "%dw fake_train --data d --target y --frobnicate 3",
      /fake_train has no flag --frobnicate\. Its flags: --dataset_id \(--data\) <string>, --target <string>/,
    ],
    ["%dw fake_train d --data e --target y", /dataset_id is given twice \(the bare value and --data\)/],
    ["%dw fake_train a b --target y", /takes one bare value \(its dataset_id\), but got 'a', 'b'/],
  ];
  for (const [line, message] of cases) assert.throws(() => coerce(line, scope), message, line);
});

test("the real train_model and register_model: --data weather and --run_id run.run_id", () => {
  const train = toolFields(getTool("train_model")!);
  const weather = { dataset_id: "seattle-weather", rows: 1461 };
  assert.deepEqual(
    coerceInput(train, parseMagicLine("%dw train_model --data weather --target temp_max --features precipitation,temp_min,wind"), {
      syntax: MAGIC_SYNTAX,
      scope: { weather },
    }),
    {
      dataset_id: "seattle-weather",
      target: "temp_max",
      features: ["precipitation", "temp_min", "wind"],
    },
  );
  const register = toolFields(getTool("register_model")!);
  assert.deepEqual(
    coerceInput(register, parseMagicLine("%dw register_model --run_id run.run_id --name temp"), { syntax: MAGIC_SYNTAX, scope: { run: { run_id: "r-1" } } }),
    {
      model_id: "r-1",
      model_name: "temp",
    },
  );
  assert.throws(
    () => coerceInput(train, parseMagicLine("%dw train_model x"), { syntax: MAGIC_SYNTAX, scope: {} }),
    /train_model takes no bare value, but got 'x'/,
  );
});
