import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import type { Workspace } from "../workspace/Workspace.js";
import { currentLockOwner } from "../workspace/lockOwner.js";
import { pendingMetricsDir, readPendingMetrics, runsWithPendingMetrics } from "./pendingMetrics.js";
import { foldLoggedMetrics, type FoldedRun } from "./foldLoggedMetrics.js";

/**
 * This process's side of the pending metrics log (src/runs/pendingMetrics.ts): the file it appends
 * to per run, its calls in order, and when it folds what it appended into commits.
 *
 * When: by default at once, in the same call (each log_metrics call is its own commit, as a CLI
 * call, the HTTP API and MCP have always made it). A process that says when it is idle (the
 * kernel) calls `deferMetricFolds()`; then a call only appends (about a millisecond), and the
 * points are folded `FOLD_AFTER_MS` after the first one since the last fold (a loop logging every
 * epoch makes one commit per burst), whenever `foldOwnMetrics` is called (the kernel does after
 * every request, so a cell's points are committed before the kernel says idle, and in-process
 * readers do before they read), and when the process is about to exit (`beforeExit`).
 *
 * Durability: a point is written with one `appendFileSync` (one write of whole lines) before the call
 * returns, without fsync: a killed process loses nothing (the page cache holds it and the next fold
 * commits it); a power cut may lose the points since the last fold, as it may lose a commit's
 * objects, which git does not fsync either.
 */
export const FOLD_AFTER_MS = 200;

interface OwnFile {
  id: string;
  path: string;
  /** Points appended to it. */
  points: number;
  maxStep: number;
}

interface Writer {
  ws: Workspace;
  /** Appends and folds of this process run one at a time, in call order. */
  tail: Promise<unknown>;
  /** The file appended to now, per run; a fold starts new ones. */
  current: Map<string, OwnFile>;
  /** Every file of this process not yet folded, by id (a fold can leave one: its run was deleted). */
  own: Set<string>;
  timer?: NodeJS.Timeout;
}

const writers = new Map<string, Writer>();
let deferred = false;

/**
 * From now on this process's log_metrics calls append only, and their points are folded later
 * (see above). For a process that calls `foldOwnMetrics` when it is idle.
 *
 * @example
 * ```ts
 * deferMetricFolds(); // kernel/startKernel.ts, at start
 * ```
 */
export function deferMetricFolds(): void {
  deferred = true;
}

/** Whether a log_metrics call leaves its points to a later fold (else it folds them itself). */
export function metricFoldsDeferred(): boolean {
  return deferred;
}
let exitHooked = false;
// beforeExit fires again after the work it started; one fold per batch of appends, so a fold that
// cannot take a file (its run was deleted) does not keep the process alive.
let exitFoldDone = false;

function writerOf(ws: Workspace): Writer {
  let w = writers.get(ws.gitdir);
  if (!w) {
    w = { ws, tail: Promise.resolve(), current: new Map(), own: new Set() };
    writers.set(ws.gitdir, w);
  }
  return w;
}

/** Runs `fn` after every earlier append or fold of this process on `ws` has ended. */
export function inOrder<T>(ws: Workspace, fn: () => Promise<T>): Promise<T> {
  const w = writerOf(ws);
  const run = w.tail.then(fn, fn);
  w.tail = run.catch(() => undefined);
  return run;
}

/** This process's file for a run, as it stands: how many points it holds and the highest step. Call in `inOrder`. */
export function ownFile(ws: Workspace, runId: string): Readonly<OwnFile> | undefined {
  return writerOf(ws).current.get(runId);
}

/**
 * Appends whole lines (each ending in a newline) to this process's file for the run, creating it
 * with its owner line first. Call in `inOrder`.
 */
export async function appendOwnLines(ws: Workspace, runId: string, lines: string, points: number, maxStep: number): Promise<void> {
  const w = writerOf(ws);
  let file = w.current.get(runId);
  let text = lines;
  if (!file) {
    const id = `${process.pid}-${randomBytes(6).toString("hex")}`;
    file = { id, path: join(pendingMetricsDir(ws, runId), `${id}.jsonl`), points: 0, maxStep: -Infinity };
    text = `${JSON.stringify({ owner: await currentLockOwner() })}\n${lines}`;
  }
  // Synchronous: one small write, where the thread pool's round trips (open, write, close) were
  // most of a call's time on a busy machine.
  try {
    appendFileSync(file.path, text);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    // The run's folder is made on first use, and removed by a fold that left it empty.
    mkdirSync(pendingMetricsDir(ws, runId), { recursive: true });
    appendFileSync(file.path, text);
  }
  file.points += points;
  file.maxStep = Math.max(file.maxStep, maxStep);
  w.current.set(runId, file);
  w.own.add(file.id);
  exitFoldDone = false;
  if (deferred) scheduleFold(w);
}

function scheduleFold(w: Writer): void {
  if (!exitHooked) {
    exitHooked = true;
    process.on("beforeExit", () => {
      if (exitFoldDone || ![...writers.values()].some((x) => x.own.size > 0)) return;
      exitFoldDone = true;
      void foldOwnMetrics().catch(() => undefined);
    });
  }
  if (w.timer) return;
  // Unreferenced: a process with nothing else to do goes on to exit, and beforeExit folds.
  w.timer = setTimeout(() => {
    w.timer = undefined;
    // A failed fold keeps the points in the pending log; the next fold takes them, and a fold the
    // kernel or a reader awaits reports the error.
    void foldOwn(w).catch(() => undefined);
  }, FOLD_AFTER_MS);
  w.timer.unref();
}

function foldOwn(w: Writer, options: FoldOptions = {}): Promise<FoldedRun[]> {
  return inOrder(w.ws, () => foldOwnInOrder(w.ws, options));
}

export interface FoldOptions {
  /** Only these runs (default: every run with pending points). */
  runs?: readonly string[];
  /** Also fold what ended processes left (default true); a reader folds only this process's own. */
  sweep?: boolean;
}

/** `foldOwnMetrics` for a caller already in `inOrder` (log_metrics folding its own call). */
export async function foldOwnInOrder(ws: Workspace, options: FoldOptions = {}): Promise<FoldedRun[]> {
  const w = writerOf(ws);
  if (w.timer) {
    clearTimeout(w.timer);
    w.timer = undefined;
  }
  if (w.own.size === 0 && options.sweep === false) return [];
  // New points go to new files from here on: the ones folded now are deleted by the fold.
  w.current.clear();
  const folded = await foldLoggedMetrics(w.ws, w.own, { ...(options.runs ? { runs: options.runs } : {}), sweep: options.sweep ?? true });
  w.own = await ownFilesLeft(w.ws, w.own);
  return folded;
}

/** The files of `ids` a fold left (their run was deleted), so a later fold tries them again. */
async function ownFilesLeft(ws: Workspace, ids: ReadonlySet<string>): Promise<Set<string>> {
  const left = new Set<string>();
  for (const run of await runsWithPendingMetrics(ws)) {
    for (const f of await readPendingMetrics(ws, run)) if (ids.has(f.id)) left.add(f.id);
  }
  return left;
}

/**
 * Folds what this process appended into run commits now, and (unless `sweep` is false) what ended
 * processes left: in every workspace it logged in, or only in `ws`. Awaits the appends before it.
 *
 * @example
 * ```ts
 * await foldOwnMetrics(); // the kernel, before it reports idle
 * await foldOwnMetrics(ws, { sweep: false }); // a reader in a process that may have logged
 * ```
 */
export async function foldOwnMetrics(ws?: Workspace, options: FoldOptions = {}): Promise<FoldedRun[]> {
  const targets = ws ? [writerOf(ws)] : [...writers.values()];
  const out: FoldedRun[] = [];
  for (const w of targets) out.push(...(await foldOwn(w, options)));
  return out;
}
