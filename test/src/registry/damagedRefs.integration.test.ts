// A registry ref that a bad push or a hand edit damaged is named as damaged, on the real CLI:
// before, `deploy_model` said "has no version 1" with the hint "Its versions: 1".
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace, repoRoot } from "../../helpers/tempWorkspace.js";

const tw = await makeTempWorkspace();
after(() => tw.cleanup());

function dw(tool: string, input: unknown) {
  const r = spawnSync(process.execPath, [join(repoRoot, "bin", "dw.js"), tool, "--json", JSON.stringify(input)], { cwd: tw.dir, encoding: "utf8" });
  return { code: r.status, out: JSON.parse(r.stdout || "null"), stderr: r.stderr };
}
const git = (...args: string[]) => execFileSync("git", args, { cwd: tw.dir, encoding: "utf8" }).trim();

test("a damaged version ref is a DATA_ERROR naming the ref, for every kind of damage", async () => {
  assert.equal(dw("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }).code, 0);
  const run = dw("train_model", { dataset_id: "weather", target: "temp_max", features: ["precipitation", "temp_min", "wind"], algorithm: "linear_regression" });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(dw("register_model", { model_id: run.out.run_id, model_name: "m" }).code, 0);
  const good = git("rev-parse", "refs/dw/models/m/1");
  const ref = join(tw.dir, ".git", "refs", "dw", "models", "m", "1");
  const damages: [string, string][] = [
    ["text that is not an object id", "garbage\n"],
    ["a symbolic ref", "ref: refs/dw/runs/" + run.out.run_id + "\n"],
    ["the run commit (not a registration)", git("rev-parse", `refs/dw/runs/${run.out.run_id}`) + "\n"],
    ["a blob", git("hash-object", "-w", "quickstart.ipynb") + "\n"],
  ];
  for (const [what, content] of damages) {
    await writeFile(ref, content);
    for (const [tool, input] of [
      ["deploy_model", { model_name: "m", version: 1, alias: "production" }],
      ["deploy_model", { model_name: "m", alias: "production" }],
      ["check_policy", { model_name: "m", version: 1, alias: "production" }],
    ] as const) {
      const r = dw(tool, input);
      assert.equal(r.code, 1, `${what}, ${tool}: ${r.stderr}`);
      assert.equal(r.out.error.code, "DATA_ERROR", `${what}, ${tool}: ${JSON.stringify(r.out)}`);
      assert.match(r.out.error.message, /The ref refs\/dw\/models\/m\/1 is damaged/, what);
      assert.doesNotMatch(r.out.error.message + (r.out.error.hint ?? ""), /has no version 1|Its versions: 1/);
      assert.match(r.out.error.hint ?? "", /git (show|show-ref|update-ref)/);
    }
    // The listing goes on without it rather than failing whole.
    const listed = dw("get_model_versions", { model_name: "m" });
    assert.notEqual(listed.code, 70, listed.stderr);
  }
  await writeFile(ref, good + "\n");
  assert.equal(dw("deploy_model", { model_name: "m", version: 1, alias: "production" }).code, 0);
});
