import { mkdir, open, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { DwError } from "../errors/DwError.js";

/**
 * A workspace-wide write lock shared by every process (kernel, CLI, server): an exclusively
 * created file `.dw/lock` holding the owner's pid. A lock whose owner is dead is taken over.
 * Inside one process, callers queue on a promise chain so they never spin against themselves.
 */
export interface WorkspaceLock {
  withLock<T>(fn: () => Promise<T>): Promise<T>;
}

export function createWorkspaceLock(dwDir: string, options: { timeoutMs?: number } = {}): WorkspaceLock {
  const lockPath = join(dwDir, "lock");
  const timeoutMs = options.timeoutMs ?? 30_000;
  let tail: Promise<unknown> = Promise.resolve();

  async function acquire(): Promise<void> {
    await mkdir(dwDir, { recursive: true });
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        const handle = await open(lockPath, "wx");
        await handle.writeFile(JSON.stringify({ pid: process.pid, since: new Date().toISOString() }));
        await handle.close();
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      }
      if (await ownerIsDead()) {
        await rm(lockPath, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new DwError("CONFLICT", `The workspace is locked by another dw process (${lockPath}).`, {
          hint: "Wait for the other dw command to finish; if no dw process is running, delete the lock file.",
          details: { lock: lockPath },
        });
      }
      await new Promise((r) => setTimeout(r, Math.min(10 * 2 ** Math.min(attempt, 5), 200)));
    }
  }

  async function ownerIsDead(): Promise<boolean> {
    let pid: number;
    try {
      pid = JSON.parse(await readFile(lockPath, "utf8")).pid;
    } catch {
      // Half-written by an owner that has just created it, or removed meanwhile: not stale yet.
      return false;
    }
    if (pid === process.pid) return false;
    try {
      process.kill(pid, 0);
      return false;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === "ESRCH";
    }
  }

  return {
    withLock<T>(fn: () => Promise<T>): Promise<T> {
      const run = tail.then(async () => {
        await acquire();
        try {
          return await fn();
        } finally {
          await rm(lockPath, { force: true });
        }
      });
      tail = run.catch(() => undefined);
      return run;
    },
  };
}
