import { readFileSync, watch } from "node:fs";
import { join } from "node:path";

/** The workspace lock file of the workspace at `dir` (src/workspace/lock.ts). */
export const lockPathOf = (dir: string) => join(dir, ".dw", "lock");

/** The pid the workspace lock of `dir` names right now, or null (no lock, or one that cannot be read). */
export function lockHolder(dir: string): number | null {
  try {
    const pid = (JSON.parse(readFileSync(lockPathOf(dir), "utf8")) as { pid?: unknown }).pid;
    return typeof pid === "number" ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Calls `onHolder(pid)` each time the workspace lock of `dir` comes to name another process, or
 * none (null: released, or being rewritten): watched
 * with inotify (a change of `.dw/` wakes this process within a millisecond) and polled every 5 ms as
 * well, since a watch can fold two changes into one event. `.dw/` must exist. Returns a stop function.
 */
export function watchLockHolder(dir: string, onHolder: (pid: number | null) => void): () => void {
  let last: number | null = null;
  const look = () => {
    const now = lockHolder(dir);
    if (now === last) return;
    last = now;
    onHolder(now);
  };
  const watcher = watch(join(dir, ".dw"), look);
  const timer = setInterval(look, 5);
  look();
  return () => {
    watcher.close();
    clearInterval(timer);
  };
}
