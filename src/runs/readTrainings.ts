import { readFile, readdir, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { Workspace } from "../workspace/Workspace.js";
import { lockOwnerLiveness } from "../workspace/lockOwner.js";
import type { TrainingActivity } from "./TrainingActivity.js";
import { TrainingRecord, trainingsDir } from "./recordTraining.js";

/** A training that ended badly (or whose process died) is shown this long after its last change, then its record is dropped. */
export const TRAINING_RECORD_KEPT_MS = 24 * 60 * 60 * 1000;

/** A file in `.dw/trainings/` that is not a record (garbage, a temp file a killed writer left) is removed once this old. */
const GARBAGE_AGE_MS = 60 * 60 * 1000;

/**
 * The trainings recorded in `.dw/trainings/` (see recordTraining), oldest first: those running,
 * and those that failed or were interrupted in the last day. A record whose process has ended
 * while it still says `running` (a kill, a crash, a machine restart) is reported as interrupted,
 * with what was found; its process is judged as the workspace lock's is (pid, start time, host,
 * pid namespace), so a reused pid is not taken for the training, and a process of another host is
 * never judged dead. Records past the day, and files that are not records, are removed as they
 * are met.
 *
 * @example
 * ```ts
 * const running = (await readTrainings(ws, new Date())).filter((t) => t.state === "running");
 * ```
 */
export async function readTrainings(ws: Workspace, now: Date): Promise<TrainingActivity[]> {
  const dir = trainingsDir(ws);
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: TrainingActivity[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const record = name.endsWith(".json") && !name.startsWith(".") ? await readRecord(path) : undefined;
    if (!record) {
      const info = await stat(path).catch(() => null);
      if (info?.isFile() && now.getTime() - info.mtimeMs > GARBAGE_AGE_MS) await unlink(path).catch(() => undefined);
      continue;
    }
    const { owner, ...activity } = record;
    if (activity.state === "running") {
      const liveness = await lockOwnerLiveness(owner);
      if (liveness.state === "dead") {
        activity.state = "interrupted";
        activity.error = {
          code: "INTERRUPTED",
          message: `The training stopped without finishing while ${activity.stage} (${liveness.reason}): it was killed or crashed, and wrote no run.`,
        };
      }
    }
    if (activity.state !== "running" && now.getTime() - Date.parse(activity.ended_at ?? activity.updated_at) > TRAINING_RECORD_KEPT_MS) {
      await unlink(path).catch(() => undefined);
      continue;
    }
    out.push(activity);
  }
  return out.sort((a, b) => a.started_at.localeCompare(b.started_at) || a.id.localeCompare(b.id));
}

async function readRecord(path: string): Promise<TrainingRecord | undefined> {
  try {
    const parsed = TrainingRecord.safeParse(JSON.parse(await readFile(path, "utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
