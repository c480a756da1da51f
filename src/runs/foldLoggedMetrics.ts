import { unlink, rmdir } from "node:fs/promises";
import type { Workspace } from "../workspace/Workspace.js";
import { commitMessage } from "../workspace/commitMessage.js";
import { lockOwnerLiveness } from "../workspace/lockOwner.js";
import { runRef } from "./runId.js";
import { METRICS_LOG } from "./readMetricsLog.js";
import type { MetricPoint } from "./MetricPoint.js";
import {
  FOLDED_TRAILER,
  foldedPendingIds,
  orderedLines,
  pendingMetricsDir,
  readPendingMetrics,
  runsWithPendingMetrics,
  type PendingFile,
} from "./pendingMetrics.js";

export interface FoldedRun {
  run_id: string;
  /** The new run commit, whose metrics_log.jsonl holds the points. */
  commit: string;
  points: number;
}

/** The subject names at most this many calls' points; the body counts them all. */
const SUBJECT_STEPS = 3;

/**
 * Commits the points log_metrics appended (src/runs/pendingMetrics.ts) into their runs: per run, one
 * new commit on refs/dw/runs/<run_id> (parent: the run's commit) whose `metrics_log.jsonl` is the
 * old one followed by the points, then the pending files are deleted. Takes the workspace lock.
 *
 * Which files a fold takes: those in `mine` (the caller's own, which it stopped appending to
 * before calling), and, with `sweep` (the default), those whose owner has ended (killed between an
 * append and its fold). A file of another live process is left to it. A file a commit already names in its
 * `Dw-Metrics-Folded` trailer (its folder was killed before the delete) is only deleted. So a point
 * is committed exactly once, whoever folds it.
 *
 * @example
 * ```ts
 * await foldLoggedMetrics(ws, new Set(ownFileIds)); // at the kernel's idle, at exit, after a burst
 * ```
 */
export async function foldLoggedMetrics(
  ws: Workspace,
  mine: ReadonlySet<string>,
  options: { runs?: readonly string[]; sweep?: boolean; now?: Date } = {},
): Promise<FoldedRun[]> {
  const runs = options.runs ?? (await runsWithPendingMetrics(ws));
  const sweep = options.sweep ?? true;
  // Looked at without the lock first: most calls find nothing to take, and then take no lock.
  const due: string[] = [];
  for (const runId of runs) {
    if ((await takeable(ws, runId, mine, sweep)).length > 0) due.push(runId);
  }
  if (due.length === 0) return [];
  return ws.withLock(async () => {
    const out: FoldedRun[] = [];
    for (const runId of due) {
      const folded = await foldRun(ws, runId, await takeable(ws, runId, mine, sweep), options.now ?? new Date());
      if (folded) out.push(folded);
    }
    return out;
  });
}

/**
 * The run's pending files this fold may take: this process's own (`mine`), and with `sweep` those
 * whose owner has ended. A file without an owner line was torn in its first write (its owner and
 * first point are one write), so it holds no point any call returned: it is left alone, as are the
 * files of live processes, which fold their own.
 */
async function takeable(ws: Workspace, runId: string, mine: ReadonlySet<string>, sweep: boolean): Promise<PendingFile[]> {
  const files: PendingFile[] = [];
  for (const f of await readPendingMetrics(ws, runId)) {
    if (mine.has(f.id) || (sweep && f.owner !== undefined && (await lockOwnerLiveness(f.owner)).state === "dead")) files.push(f);
  }
  return files;
}

async function foldRun(ws: Workspace, runId: string, files: readonly PendingFile[], now: Date): Promise<FoldedRun | undefined> {
  if (files.length === 0) return removeIfEmpty(ws, runId);
  const ref = runRef(runId);
  const head = await ws.readRef(ref);
  if (!head) {
    // The run is gone (deleted by hand): its points have nowhere to go, and are kept as they are.
    return undefined;
  }
  const done = await foldedPendingIds(ws, head, new Set(files.map((f) => f.id)));
  const take = files.filter((f) => !done.has(f.id) && f.points.length > 0);
  if (take.length > 0) {
    const before = (await ws.readText(head, METRICS_LOG)) ?? "";
    const added = orderedLines(take);
    const text = (before === "" || before.endsWith("\n") ? before : `${before}\n`) + added;
    const total = text.split("\n").filter((l) => l.trim() !== "").length;
    const points = take.flatMap((f) => f.points);
    const message = `${commitMessage(`dw run ${runId}: log ${describe(points)}`, [`${total} metric point(s) in ${METRICS_LOG}`], {
      "Dw-Run": runId,
      "Dw-Tool": "log_metrics",
    })}\n${FOLDED_TRAILER}: ${take.map((f) => f.id).join(" ")}`;
    const commit = await ws.commit({ ref, message, base: head, parents: [head], files: { [METRICS_LOG]: text }, now });
    await removeFiles(files);
    await removeIfEmpty(ws, runId);
    return { run_id: runId, commit, points: points.length };
  }
  await removeFiles(files);
  await removeIfEmpty(ws, runId);
  return undefined;
}

/** `val_rmse=4.2 at step 2; val_rmse=4.1 at step 3 (and 5 more steps)`: the points by step, in order. */
function describe(points: readonly MetricPoint[]): string {
  const steps: { step: number; parts: string[] }[] = [];
  for (const p of points) {
    const last = steps.at(-1);
    if (last && last.step === p.step) last.parts.push(`${p.key}=${p.value}`);
    else steps.push({ step: p.step, parts: [`${p.key}=${p.value}`] });
  }
  const shown = steps.slice(0, SUBJECT_STEPS).map((s) => `${s.parts.join(" ")} at step ${s.step}`);
  const more = steps.length - SUBJECT_STEPS;
  return `${shown.join("; ")}${more > 0 ? ` (and ${more} more step${more === 1 ? "" : "s"})` : ""}`;
}

async function removeFiles(files: readonly PendingFile[]): Promise<void> {
  for (const f of files) await unlink(f.path).catch((e: NodeJS.ErrnoException) => (e.code === "ENOENT" ? undefined : Promise.reject(e)));
}

async function removeIfEmpty(ws: Workspace, runId: string): Promise<undefined> {
  // Fails (and is left) while another process's file is there or one is being created.
  await rmdir(pendingMetricsDir(ws, runId)).catch(() => undefined);
  return undefined;
}
