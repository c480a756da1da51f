import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace, type TempWorkspace } from "../helpers/tempWorkspace.js";
import { startKernel, type Exchange, type KernelProcess } from "./helpers/kernelProcess.js";

let tw: TempWorkspace;
let k: KernelProcess;

before(async () => {
  tw = await makeTempWorkspace("dw-kernel-metrics-");
  k = await startKernel({ cwd: tw.dir });
});
after(async () => {
  await k?.stop();
  await tw?.cleanup();
});

const execute = (code: string) => k.request("shell", "execute_request", { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false });
const value = (x: Exchange) => {
  assert.equal(x.reply.content.status, "ok", JSON.stringify(x.reply.content));
  const result = x.iopub.find((m) => m.header.msg_type === "execute_result");
  assert.ok(result, "the cell has a result");
  // The cells end in JSON.stringify(...): a string's text/plain is the string.
  return JSON.parse((result.content as { data: Record<string, string> }).data["text/plain"]);
};
const git = (...args: string[]) => execFileSync("git", args, { cwd: tw.dir, encoding: "utf8" }).trim();

// The kernel defers log_metrics' folds: a loop appends, and the cell's points are one commit (or a
// few, 0.2 s apart) by the time the kernel reports idle.
test("a cell's logged metrics are committed on the run before the kernel reports idle", async () => {
  const trained = await execute(
    'await dw.loadDataset({ path: "data/seattle-weather.csv", dataset_id: "weather" });\n' +
      'const run = await dw.trainModel({ dataset_id: "weather", target: "temp_max", features: ["temp_min"] });\n' +
      "JSON.stringify(run.run_id)",
  );
  const runId = value(trained) as string;
  const ref = `refs/dw/runs/${runId}`;
  const base = git("rev-parse", ref);

  const logged = await execute(
    "const commits: string[] = [];\n" +
      "for (let i = 0; i < 20; i++) commits.push((await dw.logMetrics({ run_id: run.run_id, metrics: { loss: 1 / (i + 1) } })).commit);\n" +
      "JSON.stringify(commits)",
  );
  const commits = value(logged) as string[];
  // Idle has been reported: everything is in git, nothing is pending.
  const lines = git("show", `${ref}:metrics_log.jsonl`)
    .split("\n")
    .map((l) => JSON.parse(l) as { key: string; value: number; step: number });
  assert.deepEqual(
    lines.map((p) => [p.key, p.value, p.step]),
    Array.from({ length: 20 }, (_, i) => ["loss", 1 / (i + 1), i]),
  );
  assert.deepEqual(await readdir(join(tw.dir, ".dw", "metrics", runId)).catch(() => []), []);
  const folds = git("rev-list", `${base}..${ref}`).split("\n");
  assert.ok(folds.length >= 1 && folds.length < 20, `${folds.length} commits for 20 calls`);
  assert.equal(git("rev-parse", `${folds.at(-1)}^`), base, "the folds sit on the run's commit");
  // Each call names the run commit its points were logged on: the run's, or an earlier fold.
  for (const c of commits) assert.ok(c === base || folds.includes(c), c);
  assert.equal(commits[0], base);
});
