import { test } from "node:test";
import assert from "node:assert/strict";
import { readToolCommand } from "../../../src/cli/readToolCommand.js";
import { fakeTrain } from "../adapters/fakeTool.js";

test("flags become the tool's input; --workspace is the command line's own", () => {
  assert.deepEqual(readToolCommand(fakeTrain, ["d", "--target", "y", "--features", "a,b", "--workspace", "/w"]), {
    kind: "call",
    input: { dataset_id: "d", target: "y", features: ["a", "b"] },
    workspace: "/w",
  });
  assert.deepEqual(readToolCommand(fakeTrain, ["--target", "y", "--help", "--bogus"]), { kind: "help" });
});

test("--json alone is handed over as it is; beside flags it must be an object with other fields", () => {
  assert.deepEqual(readToolCommand(fakeTrain, ["--json", "[1]"]), { kind: "call", input: [1], workspace: undefined });
  assert.deepEqual(readToolCommand(fakeTrain, ["--json", '{"dataset_id": "d", "seed": 3}', "--target", "y"]), {
    kind: "call",
    input: { target: "y", dataset_id: "d", seed: 3 },
    workspace: undefined,
  });
  const cases: [string[], RegExp][] = [
    [["--json", '{"target": "x"}', "--target", "y"], /: target is given both as a flag and in --json\.$/],
    [["--json", "[1]", "--target", "y"], /--json must be a JSON object when flags give fields too/],
    [["--json", "{bad"], /--json is not valid JSON/],
    [["--json"], /--json needs a value: --json '<input>'/],
    [["--workspace", "a", "--workspace", "b"], /--workspace is given twice/],
    [["--seed", "1.5"], /--seed expects an integer, got '1\.5'/],
  ];
  for (const [args, message] of cases) assert.throws(() => readToolCommand(fakeTrain, args), message, args.join(" "));
});
