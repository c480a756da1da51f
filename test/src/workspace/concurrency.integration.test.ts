import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, execFileSync } from "node:child_process";
import { join } from "node:path";
import { makeTempWorkspace, repoRoot } from "../../helpers/tempWorkspace.js";

const tw = await makeTempWorkspace("dw-conc-");
after(() => tw.cleanup());
const bin = join(repoRoot, "bin", "dw.js");

function dwAsync(tool: string, input: unknown): { done: Promise<{ code: number | null; stdout: string }>; kill(): void } {
  const child = spawn(process.execPath, [bin, tool, "--json", JSON.stringify(input)], { cwd: tw.dir, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d));
  return { done: new Promise((r) => child.on("exit", (code) => r({ code, stdout }))), kill: () => child.kill("SIGKILL") };
}

test("processes registering at the same time get distinct versions", async () => {
  assert.equal(spawnSync(process.execPath, [bin, "load_dataset", "--json", '{"path":"data/seattle-weather.csv","dataset_id":"w"}'], { cwd: tw.dir }).status, 0);
  const train = spawnSync(process.execPath, [bin, "train_model", "--json", '{"dataset_id":"w","target":"temp_max","features":["wind"]}'], {
    cwd: tw.dir,
    encoding: "utf8",
  });
  const runId = JSON.parse(train.stdout).run_id;
  const results = await Promise.all([1, 2, 3, 4].map(() => dwAsync("register_model", { model_id: runId, model_name: "m" }).done));
  const versions = results.map((r) => JSON.parse(r.stdout).version).sort();
  assert.deepEqual(versions, [1, 2, 3, 4]);
});

test("runs killed with SIGKILL mid-write leave no broken ref: every run ref is a whole run", async () => {
  const jobs = [];
  for (let i = 0; i < 8; i++) {
    const job = dwAsync("train_model", { dataset_id: "w", target: "temp_max", features: ["wind", "temp_min"], seed: i });
    setTimeout(job.kill, 150 + i * 40);
    jobs.push(job.done);
  }
  await Promise.all(jobs);
  const refs = execFileSync("git", ["for-each-ref", "--format=%(refname)", "refs/dw/runs"], { cwd: tw.dir, encoding: "utf8" })
    .trim()
    .split("\n")
    .filter(Boolean);
  for (const ref of refs) {
    for (const file of ["run.json", "model.json", "data/manifest.json", "metrics.json"]) {
      const shown = spawnSync("git", ["show", `${ref}:${file}`], { cwd: tw.dir, encoding: "utf8" });
      assert.equal(shown.status, 0, `${ref} lacks ${file}`);
      JSON.parse(shown.stdout);
    }
  }
  // The object database is sound (unreferenced objects from killed writers are allowed).
  const fsck = spawnSync("git", ["fsck", "--no-dangling"], { cwd: tw.dir, encoding: "utf8" });
  assert.equal(fsck.status, 0, fsck.stdout + fsck.stderr);
  // And the workspace still works afterwards (a lock left by a killed writer is taken over).
  const after = spawnSync(process.execPath, [bin, "train_model", "--json", '{"dataset_id":"w","target":"temp_max","features":["wind"]}'], {
    cwd: tw.dir,
    encoding: "utf8",
  });
  assert.equal(after.status, 0, after.stdout + after.stderr);
});
