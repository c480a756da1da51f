import { test } from "node:test";
import assert from "node:assert/strict";
import { coerceInput } from "../../../src/adapters/coerceInput.js";
import { MagicError } from "../../../src/adapters/MagicError.js";
import { parseArgs } from "../../../src/adapters/parseFlags.js";
import { toolFields } from "../../../src/adapters/toolFields.js";
import { CLI_SYNTAX } from "../../../src/cli/cliSyntax.js";
import { fakeTrain } from "./fakeTool.js";

test("command-line words: bare values, --key value, --key=value, bare flags; every value is literal text", () => {
  assert.deepEqual(parseArgs(["d1", "--target", "y", "--seed=7", "--overwrite", "--path", "run.path", "--offset", "-3"]), {
    positionals: [{ text: "d1", quoted: false }],
    flags: [
      { name: "target", value: { text: "y", quoted: false, partlyQuoted: false } },
      { name: "seed", value: { text: "7", quoted: false } },
      { name: "overwrite", value: null },
      { name: "path", value: { text: "run.path", quoted: false, partlyQuoted: false } },
      { name: "offset", value: { text: "-3", quoted: false, partlyQuoted: false } },
    ],
  });
  assert.throws(
    () => parseArgs(["--"]),
    (e: unknown) => e instanceof MagicError && /malformed flag '--'/.test(e.message),
  );
});

test("without kernel variables a dotted word is text, never a reference to a variable that is not defined", () => {
  const t = toolFields(fakeTrain);
  assert.deepEqual(coerceInput(t, parseArgs(["--data", "run.run_id", "--target", "weather", "--features", "a,b", "--seed", "3"]), { syntax: CLI_SYNTAX }), {
    dataset_id: "run.run_id",
    target: "weather",
    features: ["a", "b"],
    seed: 3,
  });
  assert.throws(() => coerceInput(t, parseArgs(["--bogus", "1"]), { syntax: CLI_SYNTAX }), /fake_train has no flag --bogus\. .* See dw help fake_train\./);
});
