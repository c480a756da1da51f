import { test } from "node:test";
import assert from "node:assert/strict";
import { HELP_WIDTH, toolHelp, toolListHelp, wrap } from "../../../src/adapters/help.js";
import { tools } from "../../../src/tools/allTools.js";
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

test("help fits a notebook's width: descriptions wrap at HELP_WIDTH under each flag and each tool, starting near the left edge", () => {
  for (const tool of tools) {
    const help = toolHelp(tool, MAGIC_SYNTAX);
    const flags = (help.split("\nFlags:")[1] ?? "").split("\n").filter((l) => l !== "");
    for (const line of flags) {
      // A flag's own line is its names and type (an enum may be long); what it takes is beneath, wrapped.
      if (line.startsWith("  --")) continue;
      assert.match(line, /^ {6}\S/, `${tool.name}: '${line}'`);
      assert.ok(line.length <= HELP_WIDTH || !line.trim().includes(" "), `${tool.name}: a line of ${line.length} characters: '${line}'`);
    }
    for (const line of help.slice(0, help.indexOf("\n\n")).split("\n")) assert.ok(line.length <= HELP_WIDTH, `${tool.name}'s description line: '${line}'`);
  }
  for (const line of toolListHelp(tools, MAGIC_SYNTAX).split("\n").slice(2, -2)) assert.ok(line.length <= HELP_WIDTH, `the tool list: '${line}'`);
  assert.deepEqual(wrap("a bb ccc dddd", 6), ["a bb", "ccc", "dddd"]);
  assert.deepEqual(wrap("", 10), [""]);
});
