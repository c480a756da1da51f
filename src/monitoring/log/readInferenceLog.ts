import { asFeedbackRecord, asInferenceRecord, type FeedbackRecord, type InferenceRecord } from "./InferenceRecord.js";
import { feedbackLogDir, requestsLogDir } from "./logPaths.js";
import { listLogFiles, readLogFile, type LogReadCounts } from "./readLogFolder.js";

/** Most records a window holds when no `last` is given (a bound on memory, not a sample). */
export const MAX_WINDOW_RECORDS = 1_000_000;

/** Which records of a deployment's inference log a window holds. */
export interface InferenceWindowOptions {
  /** The newest this many (by time); default: all in the range, at most MAX_WINDOW_RECORDS. */
  last?: number;
  /** Only records at or after this time (epoch ms). */
  since?: number;
  /** Only records before this time (epoch ms). */
  until?: number;
}

/** A window of the inference log, oldest first, with what reading it met. */
export interface InferenceWindow extends LogReadCounts {
  records: InferenceRecord[];
  /** Files read (of every server process that logged). */
  files: number;
  /** Whether some records stand for several requests (`w`): counts must be summed by weight. */
  sampled: boolean;
  /** Records in range were left out because of MAX_WINDOW_RECORDS. */
  truncated: boolean;
}

const byTime = (a: InferenceRecord, b: InferenceRecord) => a.t - b.t || (a.id < b.id ? -1 : a.id > b.id ? 1 : a.row - b.row);

/**
 * The newest `last` records of a deployment's inference log (`name@alias`), over the files of
 * every server process, in time order. Memory stays bounded: files are read newest first and
 * reading stops once `last` records are held and the next file's last write is older than the
 * oldest of them (no line is newer than its file's last write). Torn tails (a write cut short by a
 * kill) and damaged lines are skipped and counted, never thrown; a log that does not exist yet
 * is an empty window.
 *
 * @example
 * ```ts
 * const { records, torn } = await readInferenceWindow(ws.root, "churn", "production", { last: 5000 });
 * ```
 */
export async function readInferenceWindow(root: string, name: string, alias: string, options: InferenceWindowOptions = {}): Promise<InferenceWindow> {
  const limit = options.last ?? MAX_WINDOW_RECORDS;
  const counts: LogReadCounts = { torn: 0, damaged: 0 };
  const inRange = (r: InferenceRecord) => (options.since === undefined || r.t >= options.since) && (options.until === undefined || r.t < options.until);
  let held: InferenceRecord[] = [];
  let files = 0;
  let truncated = false;
  const trim = () => {
    if (held.length <= limit) return;
    held.sort(byTime);
    held = held.slice(held.length - limit);
    truncated = true;
  };
  for (const f of await listLogFiles(requestsLogDir(root, name, alias))) {
    if (options.since !== undefined && f.mtimeMs < options.since) break;
    if (held.length >= limit) {
      trim();
      if (f.mtimeMs < held[0].t) break;
    }
    files++;
    for (const r of await readLogFile(f.path, asInferenceRecord, counts)) if (inRange(r)) held.push(r);
    if (held.length > 2 * limit) trim();
  }
  const before = held.length;
  held.sort(byTime);
  if (held.length > limit) held = held.slice(held.length - limit);
  return {
    records: held,
    files,
    ...counts,
    sampled: held.some((r) => r.w !== undefined && r.w > 1),
    truncated: options.last === undefined && (truncated || before > limit),
  };
}

/**
 * Every label of a deployment's feedback log, keyed `<request_id>:<row>`; a label sent again for
 * the same row replaces the earlier one (the later arrival wins). Torn tails and damaged lines are
 * skipped.
 *
 * @example
 * ```ts
 * const labels = await readFeedback(ws.root, "churn", "production");
 * labels.get("r-1:0")?.label;
 * ```
 */
export async function readFeedback(root: string, name: string, alias: string): Promise<Map<string, FeedbackRecord>> {
  const counts: LogReadCounts = { torn: 0, damaged: 0 };
  const labels = new Map<string, FeedbackRecord>();
  for (const f of (await listLogFiles(feedbackLogDir(root, name, alias))).reverse()) {
    for (const r of await readLogFile(f.path, asFeedbackRecord, counts)) {
      const key = `${r.id}:${r.row}`;
      const known = labels.get(key);
      if (!known || known.t <= r.t) labels.set(key, r);
    }
  }
  return labels;
}
