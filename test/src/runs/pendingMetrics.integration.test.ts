import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { appendFile, copyFile, readdir, readFile, writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace, repoRoot, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, runTool, type ToolContext } from "../../../src/index.js";
import { ok } from "../../helpers/results.js";
import { deferMetricFolds, foldOwnMetrics } from "../../../src/runs/metricsWriter.js";
import { readMetricsLog, readCommittedMetricsLog } from "../../../src/runs/readMetricsLog.js";
import { pendingMetricsDir } from "../../../src/runs/pendingMetrics.js";
import { runRef } from "../../../src/runs/runId.js";

// This process defers folds, as the kernel does: log_metrics appends, folds come later.
deferMetricFolds();

let tw: TempWorkspace;
let ctx: ToolContext;
let runA: string;
let runB: string;

before(async () => {
  tw = await makeTempWorkspace("dw-pending-metrics-");
  ctx = await createToolContext({ cwd: tw.dir, origin: { via: "test" } });
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, ctx));
  runA = ok(await runTool("train_model", { dataset_id: "weather", target: "temp_max", features: ["temp_min"] }, ctx)).run_id;
  runB = ok(await runTool("train_model", { dataset_id: "weather", target: "temp_max", features: ["temp_min", "wind"] }, ctx)).run_id;
});
after(async () => tw.cleanup());

const git = (...args: string[]) => execFileSync("git", args, { cwd: tw.dir, encoding: "utf8" });
const head = (runId: string) => git("rev-parse", runRef(runId)).trim();
const committedLines = (runId: string) =>
  git("show", `${runRef(runId)}:metrics_log.jsonl`)
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { key: string; value: number; step: number });
const pendingFiles = async (runId: string) =>
  (await readdir(pendingMetricsDir(ctx.workspace, runId)).catch(() => [] as string[])).filter((n) => n.endsWith(".jsonl"));

test("deferred: each call appends; readers see every point at once, in order; a fold commits them once, on the run's commit", async () => {
  const before = head(runA);
  const seen: [string, number, number][] = [];
  for (let i = 0; i < 5; i++) {
    const r = ok(await runTool("log_metrics", { run_id: runA, metrics: { loss: 1 / (i + 1), acc: i / 10 } }, ctx));
    assert.equal(r.step, i, "the default step counts pending points");
    assert.equal(r.total_points, 2 * (i + 1));
    seen.push(["loss", 1 / (i + 1), i], ["acc", i / 10, i]);
    // A reader of the run's metrics sees what it would if each call had committed (a fold may or may not have run by now).
    const points = await readMetricsLog(ctx.workspace, head(runA), runRef(runA));
    assert.deepEqual(
      points.map((p) => [p.key, p.value, p.step]),
      seen,
    );
  }
  const cmp = ok(await runTool("compare_experiments", { run_ids: [runA, runB], metric: "loss" }, ctx));
  assert.equal(cmp.runs.find((r: { run_id: string }) => r.run_id === runA).metrics.loss, 1 / 5);

  await foldOwnMetrics(ctx.workspace);
  assert.deepEqual(await pendingFiles(runA), [], "folded files are deleted");
  assert.deepEqual(
    committedLines(runA).map((p) => [p.key, p.value, p.step]),
    seen,
    "metrics_log.jsonl holds every point once, in call order",
  );
  // The fold commits sit on the run's commit: only log_metrics commits between, the run's files kept.
  const subjects = git("log", "--format=%H %s", `${before}..${runRef(runA)}`)
    .trim()
    .split("\n");
  assert.ok(subjects.length >= 1 && subjects.length <= 5, subjects.join("\n"));
  for (const line of subjects) assert.match(line, new RegExp(`dw run ${runA}: log `));
  assert.equal(JSON.parse(git("show", `${runRef(runA)}:run.json`)).run_id, runA);
  assert.deepEqual(await foldOwnMetrics(ctx.workspace), [], "nothing left to fold");
});

test("a process killed between its appends and its fold loses nothing: readers see the points, the next fold commits them exactly once", async () => {
  const before = head(runB);
  // The child defers folds, logs, says so, then blocks its event loop (so its own fold timer never
  // runs) until it is killed.
  const child = spawn(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `
      import { writeSync } from "node:fs";
      const { createToolContext, runTool } = await import(${JSON.stringify(join(repoRoot, "dist/src/index.js"))});
      const { deferMetricFolds } = await import(${JSON.stringify(join(repoRoot, "dist/src/runs/metricsWriter.js"))});
      deferMetricFolds();
      const ctx = await createToolContext({ cwd: ${JSON.stringify(tw.dir)}, origin: { via: "test" } });
      for (let step = 0; step < 3; step++) {
        const r = await runTool("log_metrics", { run_id: ${JSON.stringify(runB)}, metrics: { val_rmse: 5 - step } }, ctx);
        if (!r.ok) throw new Error(JSON.stringify(r));
      }
      writeSync(1, "logged\\n");
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
      `,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => d.toString().includes("logged") && resolve());
    child.on("exit", (code) => reject(new Error(`the child ended before logging (exit ${code})`)));
  });
  const exited = new Promise((r) => child.on("exit", r));
  child.kill("SIGKILL");
  await exited;

  assert.equal(head(runB), before, "the killed process committed nothing");
  const files = await pendingFiles(runB);
  assert.equal(files.length, 1);
  const points = await readMetricsLog(ctx.workspace, before, runRef(runB));
  assert.deepEqual(
    points.map((p) => [p.key, p.value, p.step]),
    [
      ["val_rmse", 5, 0],
      ["val_rmse", 4, 1],
      ["val_rmse", 3, 2],
    ],
  );

  // A torn last line (a write cut short) is not a point, for readers and for the fold.
  const path = join(pendingMetricsDir(ctx.workspace, runB), files[0]);
  await appendFile(path, '{"key":"val_rmse","value":2,"st');
  assert.equal((await readMetricsLog(ctx.workspace, before, runRef(runB))).length, 3);
  const kept = join(tw.dir, "kept.jsonl");
  await copyFile(path, kept);

  // The next fold in the workspace (here: a call of this process) takes the dead process's file.
  const next = ok(await runTool("log_metrics", { run_id: runB, metrics: { val_rmse: 2.5 } }, ctx));
  assert.equal(next.step, 3);
  await foldOwnMetrics(ctx.workspace);
  assert.deepEqual(
    committedLines(runB).map((p) => [p.key, p.value, p.step]),
    [
      ["val_rmse", 5, 0],
      ["val_rmse", 4, 1],
      ["val_rmse", 3, 2],
      ["val_rmse", 2.5, 3],
    ],
  );
  assert.deepEqual(await pendingFiles(runB), []);

  // A fold killed after its commit and before deleting the file leaves the file behind: the commit
  // names it, so readers do not count it twice and the next fold only deletes it.
  const folded = head(runB);
  await mkdir(pendingMetricsDir(ctx.workspace, runB), { recursive: true });
  await writeFile(path, await readFile(kept));
  assert.equal((await readMetricsLog(ctx.workspace, folded, runRef(runB))).length, 4);
  assert.deepEqual(await foldOwnMetrics(ctx.workspace), []);
  assert.equal(head(runB), folded);
  assert.deepEqual(await pendingFiles(runB), []);
  assert.equal((await readCommittedMetricsLog(ctx.workspace, folded, runRef(runB))).length, 4);
});

test("a push carries the points this process appended and has not folded yet", async () => {
  const bare = join(tw.dir, "..", `${runA}-remote.git`);
  execFileSync("git", ["init", "-q", "--bare", bare]);
  git("remote", "add", "origin", bare);
  ok(await runTool("log_metrics", { run_id: runA, metrics: { pushed: 1 } }, ctx));
  assert.ok((await pendingFiles(runA)).length > 0, "deferred: the point is pending before the push");
  ok(await runTool("push_registry", { remote: "origin" }, ctx));
  const remoteLines = execFileSync("git", ["--git-dir", bare, "show", `${runRef(runA)}:metrics_log.jsonl`], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { key: string });
  assert.equal(remoteLines.at(-1)?.key, "pushed");
  assert.equal(execFileSync("git", ["--git-dir", bare, "rev-parse", runRef(runA)], { encoding: "utf8" }).trim(), head(runA));
});
