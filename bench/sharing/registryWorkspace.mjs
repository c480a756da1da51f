// The workspace bench/sharing.mjs shares: N runs with logged metrics and M registered versions,
// made through dw's own tools (in one process, the compiled dist/), built once and cached.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const LAYOUT = 1; // bump when what is built changes, so an old cache is not reused
const MODELS = 5;
const STEPS = 3;
const FEATURES = [["temp_min"], ["temp_min", "precipitation"], ["temp_min", "wind"], ["temp_min", "precipitation", "wind"]];

/**
 * The path of a workspace holding `runs` runs (linear regressions of seattle-weather's temp_max,
 * each with `STEPS` log_metrics calls, so each run ref is a chain of STEPS + 1 commits) and
 * `versions` registered versions spread over `MODELS` models, each model's newest version under
 * the alias production. Built through runTool (train_model, log_metrics, register_model), the
 * same code the CLI runs, in this process: 200 CLI processes would take minutes of start-up for a
 * setup that is not what is measured. Cached in $TMPDIR/dw-bench-sharing/ by dw's version and
 * the counts; delete that folder to rebuild. Answers { dir, runIds, built } (built: seconds spent
 * building now, 0 when cached).
 */
export async function registryWorkspace({ repo, runs, versions, log }) {
  const { createToolContext, runTool, DW_VERSION } = await import(join(repo, "dist", "src", "index.js"));
  const cacheDir = join(tmpdir(), "dw-bench-sharing", `dw${DW_VERSION}-l${LAYOUT}-r${runs}-v${versions}`);
  const dir = join(cacheDir, "ws");
  if (existsSync(dir)) return { dir, runIds: runIdsOf(dir), built: 0 };

  const started = performance.now();
  mkdirSync(cacheDir, { recursive: true });
  const tmp = join(cacheDir, `ws.${process.pid}.tmp`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, "data"), { recursive: true });
  execFileSync("git", ["init", "-q", "-b", "main", tmp]);
  execFileSync("git", ["-C", tmp, "config", "user.name", "Ada Bench"]);
  execFileSync("git", ["-C", tmp, "config", "user.email", "ada@example.com"]);
  copyFileSync(join(repo, "node_modules", "vega-datasets", "data", "seattle-weather.csv"), join(tmp, "data", "seattle-weather.csv"));
  const ctx = await createToolContext({ cwd: tmp, workspaceDir: tmp });
  const call = async (tool, input) => {
    const r = await runTool(tool, input, ctx);
    if (!r.ok) throw new Error(`building the bench workspace: ${tool} failed: ${JSON.stringify(r.error)}`);
    return r.output;
  };
  await call("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" });
  const every = Math.max(1, Math.floor(runs / Math.max(1, versions)));
  let registered = 0;
  for (let i = 0; i < runs; i++) {
    const { run_id } = await call("train_model", { dataset_id: "weather", target: "temp_max", features: FEATURES[i % FEATURES.length], seed: i });
    for (let step = 0; step < STEPS; step++) await call("log_metrics", { run_id, metrics: { val_rmse: 4 - step * 0.1 - i * 1e-4, epoch_s: 0.5 + step }, step });
    if (registered < versions && i % every === every - 1) {
      const model = `temp${registered % MODELS}`;
      const last = registered + MODELS >= versions;
      await call("register_model", { model_id: run_id, model_name: model, ...(last ? { alias: "production" } : {}) });
      registered++;
    }
    if ((i + 1) % 50 === 0) log(`built ${i + 1} of ${runs} runs, ${registered} versions`);
  }
  renameSync(tmp, dir);
  return { dir, runIds: runIdsOf(dir), built: (performance.now() - started) / 1000 };
}

function runIdsOf(dir) {
  return execFileSync("git", ["-C", dir, "for-each-ref", "--format=%(refname:lstrip=3)", "refs/dw/runs/"], { encoding: "utf8" }).trim().split("\n");
}
