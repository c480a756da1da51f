import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace, repoRoot } from "../../helpers/tempWorkspace.js";
import { makeReadOnly, type DwRun, type ReadOnlyWorkspace } from "./readOnlyWorkspace.js";

// A workspace dw cannot use must give a clear error — what, where, what to do — as the usual
// {"ok": false, "error"} with exit 1 for a tool, or one paragraph on stderr with exit 1 for
// `dw serve`; never exit 70 with a stack trace, never INTERNAL "a bug in dw".

const tw = await makeTempWorkspace();
after(() => tw.cleanup());

function dw(args: string[], cwd = tw.dir): DwRun {
  // `dw serve` that wrongly starts would run until killed: the timeout ends the test instead.
  const r = spawnSync(process.execPath, [join(repoRoot, "bin", "dw.js"), ...args], { cwd, encoding: "utf8", timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const STACK = /^\s+at .+[(:]\d+/m;

/** The tool error a run printed, after checking it is exit 1, JSON on stdout and no stack trace anywhere. */
function toolError(r: DwRun): { code: string; message: string; hint?: string; details?: Record<string, unknown> } {
  assert.equal(r.code, 1, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  assert.doesNotMatch(r.stdout + r.stderr, STACK);
  assert.doesNotMatch(r.stdout + r.stderr, /internal error|bug in dw/i);
  const out = JSON.parse(r.stdout);
  assert.equal(out.ok, false);
  assert.ok(out.error.hint, `a hint says what to do: ${r.stdout}`);
  return out.error;
}

/** The message `dw serve` printed, after checking it is exit 1, one paragraph on stderr and no stack trace. */
function serveError(r: DwRun): string {
  assert.equal(r.code, 1, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, STACK);
  assert.doesNotMatch(r.stderr, /internal error|bug in dw/i);
  assert.match(r.stderr, /^dw serve: /);
  assert.doesNotMatch(r.stderr.trim(), /\n\s*\n/, "one paragraph");
  return r.stderr;
}

const versions = JSON.stringify({ model_name: "temp" });

test("a .git that is a file but not a gitdir pointer is a WORKSPACE_ERROR naming it, for tools and dw serve", async () => {
  const dir = join(tw.dir, "bad-git");
  await mkdir(dir);
  await writeFile(join(dir, ".git"), "not a pointer\n");
  for (const r of [dw(["get_model_versions", "--json", versions, "--workspace", dir]), dw(["get_model_versions", "--json", versions], dir)]) {
    const e = toolError(r);
    assert.equal(e.code, "WORKSPACE_ERROR");
    assert.ok(e.message.includes(join(dir, ".git")), e.message);
    assert.match(e.hint!, /gitdir:/);
  }
  assert.ok(serveError(dw(["serve", "--workspace", dir])).includes(join(dir, ".git")));
});

test("--workspace naming a regular file is a WORKSPACE_ERROR naming it, for tools and dw serve", async () => {
  const file = join(tw.dir, "quickstart.ipynb");
  const e = toolError(dw(["load_dataset", "--json", JSON.stringify({ path: "data/seattle-weather.csv" }), "--workspace", file]));
  assert.equal(e.code, "WORKSPACE_ERROR");
  assert.match(e.message, /is a file, not a folder/);
  assert.ok(e.message.includes(file));
  assert.equal(e.details?.path, file);
  assert.ok(serveError(dw(["serve", "--workspace", file])).includes(file));
});

test("--workspace naming a folder that does not exist is an error naming it, and creates nothing", () => {
  const missing = join(tw.dir, "no", "such", "workspace");
  for (const args of [
    ["get_model_versions", "--json", versions],
    ["load_dataset", "--json", JSON.stringify({ path: join(tw.dir, "data/seattle-weather.csv") })],
  ]) {
    const e = toolError(dw([...args, "--workspace", missing]));
    assert.equal(e.code, "WORKSPACE_ERROR");
    assert.match(e.message, /does not exist/);
    assert.ok(e.message.includes(missing), e.message);
    assert.equal(existsSync(join(tw.dir, "no")), false, "no repository was created");
  }
  assert.ok(serveError(dw(["serve", "--workspace", missing])).includes(missing));
  assert.equal(existsSync(join(tw.dir, "no")), false);
});

test("a read-only workspace: tools that write give WORKSPACE_ERROR with the path, reads still work, dw serve says why it cannot start", async (t) => {
  // Its own temporary folder, so that another user can be let into it without opening tw's.
  const own = await makeTempWorkspace("dw-read-only-");
  const dir = own.dir;
  // A real workspace first (a repository, .dw/, a dataset), made while it is writable.
  const loaded = dw(["load_dataset", "--json", JSON.stringify({ path: "data/seattle-weather.csv", dataset_id: "weather" })], dir);
  assert.equal(loaded.code, 0, loaded.stderr + loaded.stdout);
  let ro: ReadOnlyWorkspace | null = null;
  try {
    ro = makeReadOnly(dir);
    if (!ro) return t.skip("no way to make a folder read-only here (not root: chmod; root: setpriv to nobody or chattr +i)");
    t.diagnostic(`read-only ${ro.how}`);

    const e = toolError(ro.dw(["load_dataset", "--json", JSON.stringify({ path: "data/seattle-weather.csv", dataset_id: "again" })]));
    assert.equal(e.code, "WORKSPACE_ERROR");
    assert.ok(e.message.includes(dir), `names the path in the workspace: ${e.message}`);
    assert.match(String(e.details?.error), /^(EACCES|EPERM|EROFS)$/);
    assert.ok(String(e.details?.path).startsWith(dir));

    const train = toolError(
      ro.dw(["train_model", "--json", JSON.stringify({ dataset_id: "weather", target: "temp_max", features: ["temp_min"], algorithm: "linear_regression" })]),
    );
    assert.equal(train.code, "WORKSPACE_ERROR");
    assert.ok(train.message.includes(dir), train.message);

    // Reading needs no write: the registry answers as usual.
    const read = ro.dw(["get_model_versions", "--json", versions]);
    assert.equal(read.code, 1);
    assert.equal(JSON.parse(read.stdout).error.code, "NOT_FOUND");

    const message = serveError(ro.dw(["serve"]));
    assert.ok(message.includes(dir), message);
  } finally {
    ro?.restore();
    await own.cleanup();
  }
});
