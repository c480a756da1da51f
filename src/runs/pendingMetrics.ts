import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import type { Workspace } from "../workspace/Workspace.js";
import { parseLockOwner, type LockOwner } from "../workspace/lockOwner.js";
import { MetricPoint } from "./MetricPoint.js";

/**
 * Points log_metrics has appended but not yet committed live in `.dw/metrics/<run_id>/<file>.jsonl`,
 * one file per process that logs (so no two processes ever write one file, and none needs the
 * workspace lock to append). A file's first line names its owner (`{"owner": {pid, hostname, …}}`,
 * as the workspace lock does); every other line is one point, byte for byte the line the run's
 * `metrics_log.jsonl` gets when the file is folded into a commit. A line without its newline (a
 * process killed mid-write, a power cut) is not a point. The fold commit names the files it took
 * in a `Dw-Metrics-Folded:` trailer, and the file is deleted after it; a file a fold commit names
 * is already in the run (the folder was killed between the commit and the delete).
 */
export const PENDING_METRICS_DIR = "metrics";
export const FOLDED_TRAILER = "Dw-Metrics-Folded";

/** A pending file's name: `<pid>-<hex>.jsonl`, made by the process that owns it. */
export const PENDING_FILE = /^(\d+-[0-9a-f]{8,32})\.jsonl$/;

const OwnerLine = z.object({ owner: z.unknown() });

export interface PendingFile {
  /** The name without `.jsonl`: what a fold commit's trailer lists. */
  id: string;
  path: string;
  owner: LockOwner | undefined;
  points: MetricPoint[];
  /** The points' lines as written, each with its newline. */
  text: string;
  /** Bytes of whole lines read, the owner line included. */
  bytes: number;
}

export function pendingMetricsDir(ws: Workspace, runId: string): string {
  return join(ws.dwDir, PENDING_METRICS_DIR, runId);
}

/** The runs that have a folder of pending points (maybe empty), by run id. */
export async function runsWithPendingMetrics(ws: Workspace): Promise<string[]> {
  const names = await readdir(join(ws.dwDir, PENDING_METRICS_DIR)).catch(() => [] as string[]);
  return names.filter((n) => !n.startsWith("."));
}

/** The pending files of a run, each with its whole lines; files that are not pending files are left alone. */
export async function readPendingMetrics(ws: Workspace, runId: string): Promise<PendingFile[]> {
  const dir = pendingMetricsDir(ws, runId);
  const names = await readdir(dir).catch(() => [] as string[]);
  const files: PendingFile[] = [];
  for (const name of names.sort()) {
    const m = PENDING_FILE.exec(name);
    if (!m) continue;
    const path = join(dir, name);
    const raw = await readFile(path, "utf8").catch((e: NodeJS.ErrnoException) => {
      if (e.code === "ENOENT") return null; // folded meanwhile
      throw e;
    });
    if (raw === null) continue;
    files.push(parsePendingFile(m[1], path, raw));
  }
  return files;
}

/** The whole lines of a pending file's text: its owner and its points; a line that is neither is skipped. */
export function parsePendingFile(id: string, path: string, raw: string): PendingFile {
  const end = raw.lastIndexOf("\n") + 1;
  const lines = raw.slice(0, end).split("\n");
  lines.pop();
  let owner: LockOwner | undefined;
  const points: MetricPoint[] = [];
  let text = "";
  for (const line of lines) {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue; // a torn line left by a crash, then a newline from the next write
    }
    const asOwner = OwnerLine.safeParse(value);
    if (asOwner.success) {
      owner ??= parseLockOwner(JSON.stringify(asOwner.data.owner));
      continue;
    }
    const point = MetricPoint.safeParse(value);
    if (!point.success) continue;
    points.push(point.data);
    text += `${line}\n`;
  }
  return { id, path, owner, points, text, bytes: end };
}

/**
 * The pending file ids that commits on the run's ref, from `headOid` down through its log_metrics
 * commits, say they folded. The walk stops at the first commit log_metrics did not make (the run's
 * own) or once every id in `wanted` is found.
 */
export async function foldedPendingIds(ws: Workspace, headOid: string, wanted: ReadonlySet<string>): Promise<Set<string>> {
  const found = new Set<string>();
  let oid: string | undefined = headOid;
  while (oid && found.size < wanted.size) {
    const commit = await ws.readCommit(oid);
    if (!/^Dw-Tool: log_metrics$/m.test(commit.message)) break;
    for (const m of commit.message.matchAll(new RegExp(`^${FOLDED_TRAILER}: (.*)$`, "gm"))) {
      for (const id of m[1].split(" ")) if (wanted.has(id)) found.add(id);
    }
    oid = commit.parents[0];
  }
  return found;
}

/**
 * The points pending on a run whose ref is at `headOid`, in order: by timestamp, then file, then
 * line (one process's points keep their order). Files a commit at or below the head already folded
 * are left out.
 */
export async function pendingPointsOnHead(ws: Workspace, runId: string, headOid: string): Promise<{ files: PendingFile[]; points: MetricPoint[] }> {
  const all = (await readPendingMetrics(ws, runId)).filter((f) => f.points.length > 0);
  if (all.length === 0) return { files: [], points: [] };
  const folded = await foldedPendingIds(ws, headOid, new Set(all.map((f) => f.id)));
  const files = all.filter((f) => !folded.has(f.id));
  return { files, points: orderPoints(files) };
}

export function orderPoints(files: readonly PendingFile[]): MetricPoint[] {
  const tagged = files.flatMap((f, fi) => f.points.map((p, li) => ({ p, fi, li })));
  tagged.sort((a, b) => (a.p.timestamp < b.p.timestamp ? -1 : a.p.timestamp > b.p.timestamp ? 1 : a.fi - b.fi || a.li - b.li));
  return tagged.map((t) => t.p);
}

/** Every point line of `files` in the order orderPoints gives, as the run's log gets them. */
export function orderedLines(files: readonly PendingFile[]): string {
  const tagged = files.flatMap((f, fi) => {
    const lines = f.text.split("\n");
    lines.pop();
    return lines.map((line, li) => ({ line, ts: f.points[li].timestamp, fi, li }));
  });
  tagged.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : a.fi - b.fi || a.li - b.li));
  return tagged.map((t) => `${t.line}\n`).join("");
}
