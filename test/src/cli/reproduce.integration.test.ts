import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { makeTempWorkspace, repoRoot } from "../../helpers/tempWorkspace.js";
import { openWorkspace } from "../../../src/workspace/Workspace.js";

const tw = await makeTempWorkspace("dw-cli-reproduce-");
after(() => tw.cleanup());

function dw(...args: string[]) {
  const r = spawnSync(process.execPath, [join(repoRoot, "bin", "dw.js"), ...args], { cwd: tw.dir, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("dw reproduce <ref> prints the verdict and exits 0 when the bytes are the same, 3 when the rebuilt model differs, 1 when it cannot rebuild", async () => {
  assert.equal(dw("load_dataset", "data/seattle-weather.csv", "--dataset_id", "w").code, 0);
  const trained = dw(
    "train_model",
    "--data",
    "w",
    "--target",
    "temp_max",
    "--features",
    "temp_min,wind",
    "--algorithm",
    "decision_tree",
    "--json",
    '{"hyperparameters":{"max_depth":3}}',
  );
  assert.equal(trained.code, 0, trained.stderr + trained.stdout);
  const runId: string = JSON.parse(trained.stdout).run_id;
  const registered = dw("register_model", "--run_id", runId, "--name", "temp", "--alias", "staging");
  assert.equal(registered.code, 0, registered.stdout + registered.stderr);

  for (const ref of [runId, "temp@staging", "temp/1"]) {
    const same = dw("reproduce", ref);
    assert.equal(same.code, 0, `${ref}: ${same.stdout}${same.stderr}`);
    const out = JSON.parse(same.stdout);
    assert.equal(out.identical, true);
    assert.match(out.verdict, /^Same bytes: model\.json sha256 [0-9a-f]{64}, 4 metrics equal to the last digit\.$/);
  }

  // A user edits the run's params.json in a new commit on its ref, through the workspace API.
  const ws = await openWorkspace(tw.dir);
  const ref = `refs/dw/runs/${runId}`;
  const old = (await ws.readRef(ref))!;
  const params = JSON.parse((await ws.readText(old, "params.json"))!);
  params.hyperparameters.max_depth = 4;
  await ws.withLock(() =>
    ws.commit({ ref, message: "max_depth 4", files: { "params.json": JSON.stringify(params, null, 2) + "\n" }, parents: [old], base: old }),
  );
  const differs = dw("reproduce", runId);
  assert.equal(differs.code, 3, differs.stdout + differs.stderr);
  const out = JSON.parse(differs.stdout);
  assert.equal(out.identical, false);
  assert.match(out.verdict, /^Not the same: .* first: params\.json says hyperparameters\.max_depth = 4/);
  // The version was registered before the edit: its commit still reproduces.
  assert.equal(dw("reproduce", "temp@staging").code, 0);

  const missing = dw("reproduce", "20200101-000000-abcdef");
  assert.equal(missing.code, 1);
  assert.equal(JSON.parse(missing.stdout).error.code, "NOT_FOUND");
  assert.equal(dw("reproduce").code, 1, "no reference: the tool says model_id is required");
});
