import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { createMagicRouter } from "../../../kernel/magic/createMagicRouter.js";
import { MagicError } from "../../../src/adapters/MagicError.js";
import { tools } from "../../../src/index.js";
import { makeTempWorkspace, repoRoot } from "../../helpers/tempWorkspace.js";

// The command line speaks the magic's flag syntax: what `%dw <tool> …` accepts, coerces, refuses
// and explains, `dw <tool> …` does too, in the same words (with `dw` for `%dw`).

const tw = await makeTempWorkspace("dw-cli-flags-");
after(() => tw.cleanup());

function dw(...args: string[]) {
  const r = spawnSync(process.execPath, [join(repoRoot, "bin", "dw.js"), ...args], { cwd: tw.dir, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The kernel's magic router over the real tools, for what it says; no tool is run. */
function magic() {
  const help: string[] = [];
  const router = createMagicRouter({
    tools,
    scope: () => ({}),
    callTool: async () => assert.fail("no tool runs here"),
    showHelp: (text) => void help.push(text),
  });
  return { router, help };
}

/** The error the magic gives for a line (before any tool runs), in the command line's words. */
async function magicError(line: string): Promise<string> {
  try {
    await magic().router.magic(1, line);
  } catch (e) {
    assert.ok(e instanceof MagicError, String(e));
    return e.message.replaceAll("%dw help", "dw help");
  }
  throw new Error(`the magic accepted ${line}`);
}

test("a bare value and flags call the tool as the magic does; --json beside flags adds fields", () => {
  const loaded = dw("load_dataset", "data/seattle-weather.csv", "--dataset_id", "weather", "--tags", "cli,flags");
  assert.equal(loaded.code, 0, loaded.stderr);
  const ds = JSON.parse(loaded.stdout);
  assert.equal(ds.dataset_id, "weather");
  assert.equal(ds.rows, 1461);
  assert.deepEqual(ds.tags, ["cli", "flags"]);

  const trained = dw(
    "train_model",
    "--data",
    "weather",
    "--target",
    "temp_max",
    "--features",
    "precipitation,temp_min,wind",
    "--test-size",
    "0.25",
    "--seed",
    "7",
  );
  assert.equal(trained.code, 0, trained.stderr);
  const run = JSON.parse(trained.stdout);
  assert.equal(run.dataset_id, "weather");
  assert.equal(run.target, "temp_max");
  assert.deepEqual(run.features, ["precipitation", "temp_min", "wind"]);

  const mixed = dw(
    "train_model",
    "--json",
    JSON.stringify({ dataset_id: "weather", features: ["wind"] }),
    "--target",
    "temp_min",
    "--algorithm",
    "decision_tree",
  );
  assert.equal(mixed.code, 0, mixed.stderr);
  const tree = JSON.parse(mixed.stdout);
  assert.equal(tree.algorithm, "decision_tree");
  assert.equal(tree.target, "temp_min");
  assert.deepEqual(tree.features, ["wind"]);

  // A tool's own refusal is still the {ok: false, error} result with exit 1.
  const refused = dw("register_model", "--run_id", run.run_id, "--name", "bad name!");
  assert.equal(refused.code, 1, refused.stderr);
  assert.equal(JSON.parse(refused.stdout).error.code, "INVALID_INPUT");
});

test("a call the flag syntax refuses exits 2 with the magic's own message", async () => {
  const lines = [
    "train_model --data weather --target temp_max --frobnicate 3",
    "train_model --data weather --target temp_max --seed 1.5",
    "train_model --data weather --target temp_max --test_size half",
    "train_model --data weather --target temp_max --hyperparameters {depth}",
    "train_model weather",
    "train_model --data weather --dataset_id weather",
  ];
  for (const line of lines) {
    const r = dw(...line.split(" "));
    assert.equal(r.code, 2, line);
    assert.equal(r.stdout, "", line);
    const expected = await magicError(`%dw ${line}`);
    assert.ok(r.stderr.startsWith(`dw: ${expected}`), `${line}\nexpected: dw: ${expected}\ngot: ${r.stderr}`);
  }
  const typo = dw("trian_model", "--target", "y");
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /unknown command or tool 'trian_model'\. Did you mean 'train_model'\?/);
  const conflict = dw("train_model", "--target", "y", "--json", '{"target": "z"}');
  assert.equal(conflict.code, 2);
  assert.match(conflict.stderr, /^dw: target is given both as a flag and in --json\./);
});

test("dw help and dw help <tool> are the magic's help in the command line's words, and --help is the same", () => {
  const { router, help } = magic();
  void router.magic(1, "%dw help");
  void router.magic(1, "%dw help train_model");

  const list = dw("help");
  assert.equal(list.code, 0);
  assert.equal(list.stdout.split("\n")[0], "dw tools. Call one with dw <tool> [--flag value]... or dw <tool> --json '<input>'.");
  for (const t of tools) assert.match(list.stdout, new RegExp(`^ {2}${t.name} +${t.description.slice(0, 30).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`, "m"));
  // The tool lines are the magic's, word for word.
  const toolLines = (text: string) => text.split("\n").filter((l) => l.startsWith("  "));
  assert.deepEqual(toolLines(list.stdout), toolLines(help[0]));

  const one = dw("help", "train_model");
  assert.equal(one.code, 0);
  // The usage line names the required flags; the data comes from --data or from --table / --query (a SQL source), so it is among the flags.
  assert.match(one.stdout, /^ {2}dw train_model --target <string> \[--flag value\]\.\.\. \[--workspace DIR\]$/m);
  assert.match(one.stdout, /^ {2}dw train_model --json '\{"target": …\}'$/m);
  assert.match(one.stdout, /^ {2}--dataset_id, --data <string>$/m);
  assert.match(one.stdout, /^ {2}--table <string>$/m);
  const flags = (text: string) => text.slice(text.indexOf("\nFlags:\n")).split("\n\ninput schema")[0];
  assert.equal(flags(one.stdout), flags(help[1]));
  assert.match(one.stdout, /input schema \(what --json takes\):\n\{/);
  assert.equal(dw("train_model", "--help").stdout, one.stdout);
  assert.equal(dw("trainModel", "--help").stdout, one.stdout);

  const unknown = dw("help", "trian_model");
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown tool 'trian_model'\. Did you mean 'train_model'\?/);
});
