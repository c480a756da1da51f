import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { DwError } from "../errors/DwError.js";
import { createLockFile, inspectLockFile, releaseLockFile, removeStaleLockFile, sameFile, sweepLockLitter } from "./lockFile.js";
import type { HeldLock, LockInspection } from "./lockFile.js";

/**
 * A workspace-wide write lock shared by every process (kernel, CLI, server): the file `.dw/lock`,
 * created whole with its owner (pid, host, start time). A lock whose owner has ended is taken over at
 * once; one that cannot be read (garbage from a crash of older code, a hand edit, a directory) once
 * it is `staleAgeMs` old. Inside one process, callers queue on a promise chain so they never spin
 * against themselves.
 */
export interface WorkspaceLock {
  withLock<T>(fn: () => Promise<T>): Promise<T>;
}

export interface WorkspaceLockOptions {
  /** How long to wait for a live holder before failing with CONFLICT. */
  timeoutMs?: number;
  /** The age at which a lock that cannot be read, or is not a file, counts as garbage. */
  staleAgeMs?: number;
}

export function createWorkspaceLock(dwDir: string, options: WorkspaceLockOptions = {}): WorkspaceLock {
  const lockPath = join(dwDir, "lock");
  // Taking over a stale lock renames it aside and may have to put back a lock created meanwhile,
  // which leaves the path empty for an instant; doing it only under this second lock means no two
  // processes do it at once, so a third never slips into that instant.
  const takeoverPath = join(dwDir, "lock.takeover");
  const timeoutMs = options.timeoutMs ?? 30_000;
  const staleAgeMs = options.staleAgeMs ?? 2_000;
  let tail: Promise<unknown> = Promise.resolve();
  let sweepDue = true;

  async function acquire(): Promise<HeldLock> {
    await mkdir(dwDir, { recursive: true });
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      const held = await createLockFile(lockPath);
      if (held) {
        if (sweepDue) {
          sweepDue = false;
          await sweepLockLitter(lockPath, staleAgeMs);
          await sweepLockLitter(takeoverPath, staleAgeMs);
        }
        return held;
      }
      const found = await inspectLockFile(lockPath, staleAgeMs);
      if (found.state === "missing") continue; // released meanwhile
      if (found.state === "stale" && (await takeOver(found))) continue;
      const waitedMs = Date.now() - started;
      if (waitedMs >= timeoutMs) throw lockedError(found, waitedMs);
      await new Promise((r) => setTimeout(r, Math.min(10 * 2 ** Math.min(attempt, 5), 200)));
    }
  }

  /** Removes the stale lock `stale`, unless it changed meanwhile. Answers false when another process is at it. */
  async function takeOver(stale: LockInspection & { state: "stale" }): Promise<boolean> {
    const guard = await createLockFile(takeoverPath);
    if (!guard) {
      // A process killed while taking over leaves this guard behind, stale at once. Its own removal
      // is not guarded: a race here needs a kill inside the microseconds a guard is held, and then
      // two processes judging that guard stale at the same instant.
      const found = await inspectLockFile(takeoverPath, staleAgeMs);
      if (found.state === "missing") return true;
      return found.state === "stale" ? removeOrExplain(takeoverPath, found) : false;
    }
    try {
      const again = await inspectLockFile(lockPath, staleAgeMs);
      if (again.state === "stale" && sameFile(again.id, stale.id) && again.text === stale.text) {
        await removeOrExplain(lockPath, again);
        sweepDue = true;
      }
    } finally {
      await releaseLockFile(guard);
    }
    return true;
  }

  async function removeOrExplain(path: string, stale: LockInspection & { state: "stale" }): Promise<boolean> {
    try {
      return await removeStaleLockFile(path, stale);
    } catch (e) {
      throw new DwError("CONFLICT", `The workspace lock ${path} is stale (${stale.reason}) but could not be removed: ${(e as Error).message}.`, {
        hint: `Check the permissions of ${dwDir}, or delete ${path} by hand.`,
        details: { lock: path },
      });
    }
  }

  function lockedError(found: LockInspection, waitedMs: number): DwError {
    const waited = `waited ${(waitedMs / 1000).toFixed(1)} s`;
    if (found.state === "held") {
      const { pid, hostname, since } = found.owner;
      const who = `process ${pid}${hostname ? ` on host ${hostname}` : ""}${since ? `, since ${since}` : ""}`;
      const hint =
        found.liveness.state === "alive"
          ? `Wait for that dw command to finish, then try again. If it hangs, stop it (kill ${pid}): the lock of an ended process is taken over at once. Do not delete ${lockPath} while it runs.`
          : `The lock's ${found.liveness.reason}. Wait for it to finish; if no dw runs there any more, delete ${lockPath}.`;
      return new DwError("CONFLICT", `The workspace is locked by another dw process: ${who} (${lockPath}); ${waited}.`, {
        hint,
        details: { lock: lockPath, pid, hostname, since, waited_ms: waitedMs },
      });
    }
    if (found.state === "young") {
      return new DwError("CONFLICT", `The workspace lock ${lockPath} cannot be read: ${found.reason}; ${waited}.`, {
        hint: `A lock that cannot be read is taken over once ${staleAgeMs} ms old; if it stays, delete ${lockPath}.`,
        details: { lock: lockPath, waited_ms: waitedMs },
      });
    }
    return new DwError(
      "CONFLICT",
      `The workspace lock ${lockPath} is stale (${found.state === "stale" ? found.reason : "gone"}), but another process taking it over has not finished; ${waited}.`,
      {
        hint: `Try again; if no dw process is running, delete ${lockPath} and ${takeoverPath}.`,
        details: { lock: lockPath, takeover: takeoverPath, waited_ms: waitedMs },
      },
    );
  }

  return {
    withLock<T>(fn: () => Promise<T>): Promise<T> {
      const run = tail.then(async () => {
        const held = await acquire();
        try {
          return await fn();
        } finally {
          // Only our own: a process that lost its lock must never delete another's.
          await releaseLockFile(held);
        }
      });
      tail = run.catch(() => undefined);
      return run;
    },
  };
}
