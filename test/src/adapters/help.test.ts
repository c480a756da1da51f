import { test } from "node:test";
import assert from "node:assert/strict";
import { toolHelp, toolListHelp } from "../../../src/adapters/help.js";
import { MAGIC_SYNTAX } from "../../../kernel/magic/magicSyntax.js";
import { CLI_SYNTAX } from "../../../src/cli/cliSyntax.js";
import { fakeTrain } from "./fakeTool.js";

const flagsOf = (help: string) => help.slice(help.indexOf("\nFlags:\n"));

test("one help, in each adapter's words: the usage lines differ, the flags are the same", () => {
  const magic = toolHelp(fakeTrain, MAGIC_SYNTAX);
  const cli = toolHelp(fakeTrain, CLI_SYNTAX);
  assert.match(magic, /^ {2}%dw fake_train <dataset_id> --target <string> \[--flag value\]\.\.\. \[--as NAME\]$/m);
  assert.match(magic, /^ {2}await dw\.fakeTrain\(\{ dataset_id: …, target: … \}\)$/m);
  assert.match(cli, /^ {2}dw fake_train <dataset_id> --target <string> \[--flag value\]\.\.\. \[--workspace DIR\]$/m);
  assert.match(cli, /^ {2}dw fake_train --json '\{"dataset_id": …, "target": …\}'$/m);
  assert.equal(flagsOf(cli), flagsOf(magic));
  assert.match(flagsOf(cli), /--seed <integer>\s+optional, default 42\./);
});

test("the tool list starts with how to call a tool in that adapter and lists every tool once", () => {
  const cli = toolListHelp([fakeTrain], CLI_SYNTAX).split("\n");
  assert.equal(cli[0], "dw tools. Call one with dw <tool> [--flag value]... or dw <tool> --json '<input>'.");
  assert.equal(cli[2], "  fake_train  A stand-in for train_model.");
  assert.deepEqual(toolListHelp([fakeTrain], MAGIC_SYNTAX).split("\n").slice(1, -1), cli.slice(1, -1));
});
