import { test } from "node:test";
import assert from "node:assert/strict";
import { parseMagicLine, tokenize } from "../../../kernel/magic/parseMagicLine.js";
import { MagicError } from "../../../src/adapters/MagicError.js";

test("tool, positional, flags with values, bare flags and --as", () => {
  assert.deepEqual(parseMagicLine("%dw load_dataset data/seattle-weather.csv --as weather"), {
    tool: "load_dataset",
    positionals: [{ text: "data/seattle-weather.csv", quoted: false, partlyQuoted: false }],
    flags: [],
    as: "weather",
  });
  const p = parseMagicLine("  %dw train_model --data weather --features a,b --verbose --seed=7");
  assert.equal(p.tool, "train_model");
  assert.deepEqual(
    p.flags.map((f) => [f.name, f.value?.text ?? null]),
    [
      ["data", "weather"],
      ["features", "a,b"],
      ["verbose", null],
      ["seed", "7"],
    ],
  );
});

test("the %dw prefix is optional (the %%dw header has none)", () => {
  assert.equal(parseMagicLine("deploy_model --name temp").tool, "deploy_model");
});

test("quoted values keep spaces, are literal, and may contain the other quote", () => {
  const p = parseMagicLine(`%dw register_model --run_id "run.run_id" --description 'it''s' --name "a \\"b\\" c"`);
  assert.deepEqual(
    p.flags.map((f) => f.value),
    [
      { text: "run.run_id", quoted: true, partlyQuoted: true },
      { text: "its", quoted: true, partlyQuoted: true },
      { text: 'a "b" c', quoted: true, partlyQuoted: true },
    ],
  );
  assert.deepEqual(parseMagicLine(`%dw t --x="a b"`).flags[0].value, { text: "a b", quoted: true });
});

test("a quoted word starting with -- is a value, not a flag", () => {
  const p = parseMagicLine(`%dw t --name "--odd"`);
  assert.deepEqual(
    p.flags.map((f) => [f.name, f.value?.text]),
    [["name", "--odd"]],
  );
});

test("single-dash words are values: negative numbers work", () => {
  assert.equal(parseMagicLine("%dw t --offset -3").flags[0].value?.text, "-3");
});

test("malformed lines throw a MagicError that says what was expected", () => {
  const cases: [string, RegExp][] = [
    ["%dw", /expected a tool name/],
    ["%dw 'quoted'", /is not a tool name/],
    ["%dw train_model --", /malformed flag '--'/],
    ["%dw train_model ---x 1", /malformed flag '---x'/],
    ["%dw train_model --as", /--as needs a variable name/],
    ["%dw train_model --as 1x", /'1x' is not a valid name/],
    ["%dw train_model --as const", /'const' is not a valid name/],
    ["%dw train_model --as a --as b", /--as is given twice/],
    [`%dw train_model --target "temp`, /unclosed double quote/],
  ];
  for (const [line, message] of cases) {
    assert.throws(
      () => parseMagicLine(line),
      (e: unknown) => e instanceof MagicError && message.test(e.message),
      line,
    );
  }
});

test("tokenize groups quoted parts into one word", () => {
  assert.deepEqual(
    tokenize(`a "b c"d 'e'`).map((w) => w.text),
    ["a", "b cd", "e"],
  );
});
