import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { makeTempWorkspace, repoRoot } from "../../helpers/tempWorkspace.js";

const tw = await makeTempWorkspace();
after(() => tw.cleanup());

function dw(...args: string[]) {
  const r = spawnSync(process.execPath, [join(repoRoot, "bin", "dw.js"), ...args], { cwd: tw.dir, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("a tool prints its JSON output and exits 0", () => {
  const r = dw("load_dataset", "--json", JSON.stringify({ path: "data/seattle-weather.csv" }));
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.dataset_id, "seattle-weather");
  assert.equal(out.rows, 1461);
});

test("a tool error prints {ok: false, error} and exits 1", () => {
  const r = dw("train_model", "--json", JSON.stringify({ dataset_id: "seattle-weather", target: "nope" }));
  assert.equal(r.code, 1);
  const out = JSON.parse(r.stdout);
  assert.equal(out.ok, false);
  assert.equal(out.error.code, "INVALID_INPUT");
  assert.match(out.error.message, /Column 'nope'/);
});

test("usage errors exit 2 and say what was wrong", () => {
  let r = dw("no_such_tool");
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown command or tool 'no_such_tool'/);
  r = dw("train_model", "--json", "{bad");
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--json is not valid JSON/);
  r = dw("train_model", "--frobnicate");
  assert.equal(r.code, 2);
  assert.match(r.stderr, /frobnicate/);
  r = dw("serve", "--port", "http");
  assert.equal(r.code, 2);
});

test("--workspace points the CLI at another folder; help lists tools and their schemas", () => {
  const r = spawnSync(process.execPath, [join(repoRoot, "bin", "dw.js"), "get_model_versions", "--workspace", tw.dir, "--json", '{"model_name":"temp"}'], {
    cwd: "/",
    encoding: "utf8",
  });
  assert.equal(r.status, 1);
  assert.equal(JSON.parse(r.stdout).error.code, "NOT_FOUND");
  const help = dw("help");
  assert.match(help.stdout, /train_model/);
  assert.match(dw("help", "train_model").stdout, /"dataset_id"/);
});
