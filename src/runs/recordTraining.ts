import { randomBytes } from "node:crypto";
import { unlink } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import type { DomainContext } from "../workspace/DomainContext.js";
import type { Workspace } from "../workspace/Workspace.js";
import { atomicWrite } from "../workspace/atomicWrite.js";
import { documentText } from "../workspace/documentText.js";
import { currentLockOwner } from "../workspace/lockOwner.js";
import { isDwError } from "../errors/DwError.js";
import { TrainingActivity } from "./TrainingActivity.js";

/**
 * A training's record as stored: what get_ml_status shows, plus its process as a lock records it
 * (pid, host, start time, pid namespace), so a reader can tell a live training from one whose
 * process was killed.
 */
export const TrainingRecord = TrainingActivity.extend({
  owner: z.object({ pid: z.number().int(), hostname: z.string().optional(), starttime: z.string().optional(), pidns: z.string().optional() }),
});
export type TrainingRecord = z.infer<typeof TrainingRecord>;

/** `.dw/trainings/`: one `<id>.json` per training running (or lately ended badly). */
export function trainingsDir(ws: Workspace): string {
  return join(ws.dwDir, "trainings");
}

/** What a training is about, as its record names it. */
export interface TrainingSubject {
  tool: TrainingRecord["tool"];
  dataset_id: string;
  target: string;
  algorithm?: string;
}

/** Moves a recorded training to its next stage; its progress starts again empty. */
export type SetStage = (stage: string) => void;

/** Progress is written at most this often: a forest reports every tree. */
const WRITE_INTERVAL_MS = 250;

/**
 * Runs `work` (a train_model or select_model) with a record of it in `.dw/trainings/`, so that
 * another process (get_ml_status, the sidebar) sees it running, its stage and its progress. The
 * record is replaced atomically as `work` sets stages and reports progress (through the context
 * it is given, whose `progress` also reaches the caller's), at most every 250 ms; it is removed
 * when `work` succeeds, and kept with the error when it fails, for readTrainings to show and,
 * a day later, drop. The record is a courtesy: a workspace where it cannot be written still
 * trains.
 *
 * @example
 * ```ts
 * const out = await recordTraining(ctx, { tool: "train_model", dataset_id: "weather", target: "temp_max" }, async (ctx, stage) => {
 *   stage("fitting");
 *   return fit(ctx);
 * });
 * ```
 */
export async function recordTraining<C extends DomainContext, T>(ctx: C, subject: TrainingSubject, work: (ctx: C, stage: SetStage) => Promise<T>): Promise<T> {
  const owner = await currentLockOwner();
  const id = `${owner.pid}-${randomBytes(4).toString("hex")}`;
  const path = join(trainingsDir(ctx.workspace), `${id}.json`);
  const at = () => ctx.now().toISOString();
  const started = at();
  let record: TrainingRecord = {
    id,
    ...subject,
    pid: owner.pid,
    started_at: started,
    updated_at: started,
    state: "running",
    stage: "starting",
    progress: null,
    owner: { pid: owner.pid, hostname: owner.hostname, starttime: owner.starttime, pidns: owner.pidns },
  };
  const file = recordFile(path);
  file.write(record);

  const stage: SetStage = (name) => {
    record = { ...record, stage: name, progress: null, updated_at: at() };
    file.write(record);
  };
  const watched: C = {
    ...ctx,
    progress: (p) => {
      ctx.progress?.(p);
      record = { ...record, progress: { message: p.message, done: p.done, ...(p.total !== undefined ? { total: p.total } : {}) }, updated_at: at() };
      file.write(record);
    },
  };
  let result: T;
  try {
    result = await work(watched, stage);
  } catch (e) {
    const code = isDwError(e) ? e.code : "INTERNAL";
    const message = e instanceof Error ? e.message : String(e);
    await file.close({ ...record, state: code === "INTERRUPTED" ? "interrupted" : "failed", error: { code, message }, ended_at: at() });
    throw e;
  }
  await file.close(null);
  return result;
}

/**
 * The record's file, written as it changes but at most every WRITE_INTERVAL_MS (the last state
 * always lands), one write at a time. Closing writes the final state, or removes the file.
 */
function recordFile(path: string) {
  let latest: TrainingRecord | undefined;
  let chain: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let lastWrite = 0;
  let broken = false;
  const flush = () => {
    timer = undefined;
    lastWrite = Date.now();
    const text = documentText(latest);
    chain = chain
      // Not fsynced: the record describes a live process, which a power cut ends anyway, and a
      // record cut short by one is garbage readTrainings passes over and removes.
      .then(() => (broken ? undefined : atomicWrite(path, text, { sync: false })))
      .catch(() => {
        // A .dw/ that cannot be written (read-only, full) must not fail the training it describes.
        broken = true;
      });
  };
  return {
    write(record: TrainingRecord) {
      latest = record;
      if (timer) return;
      const wait = lastWrite + WRITE_INTERVAL_MS - Date.now();
      if (wait <= 0) flush();
      else timer = setTimeout(flush, wait).unref();
    },
    async close(final: TrainingRecord | null) {
      clearTimeout(timer);
      timer = undefined;
      if (final) {
        latest = final;
        flush();
        await chain;
        return;
      }
      await chain;
      await unlink(path).catch(() => undefined);
    },
  };
}
