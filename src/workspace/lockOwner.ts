import { readFile, readlink } from "node:fs/promises";
import { hostname } from "node:os";

/**
 * Who holds a lock file, as written into it: enough to tell, from the same host, whether that
 * process still runs. Locks written before `hostname` was recorded hold only `pid` (and `since`).
 */
export interface LockOwner {
  pid: number;
  hostname?: string;
  since?: string;
  /** Linux: the process's start time, /proc/<pid>/stat field 22 (clock ticks since boot): tells a reused pid apart. */
  starttime?: string;
  /** Linux: the pid namespace, e.g. `pid:[4026531836]`: a pid read in another container names another process. */
  pidns?: string;
}

/** `alive` and `unknown` (another host or container: its pid means nothing here) both hold the lock. */
export interface OwnerLiveness {
  state: "alive" | "dead" | "unknown";
  /** Why, for messages: "process 123 has ended". */
  reason: string;
}

interface ProcStat {
  state: string;
  starttime: string;
}

/** The parsed owner, or undefined when the text is not a lock this or an older dw wrote (it is then judged by age). */
export function parseLockOwner(text: string): LockOwner | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.pid !== "number" || !Number.isSafeInteger(v.pid) || v.pid <= 0) return undefined;
  const owner: LockOwner = { pid: v.pid };
  for (const key of ["hostname", "since", "starttime", "pidns"] as const) {
    if (v[key] === undefined) continue;
    if (typeof v[key] !== "string") return undefined;
    owner[key] = v[key] as string;
  }
  if (owner.starttime !== undefined && !/^\d+$/.test(owner.starttime)) return undefined;
  if (owner.hostname === "") return undefined;
  return owner;
}

let self: Promise<Omit<LockOwner, "since">> | undefined;

/** This process as a lock owner, with `since` set to now. */
export async function currentLockOwner(): Promise<LockOwner> {
  self ??= (async () => {
    const stat = await readProcStat(process.pid);
    const pidns = await readlink("/proc/self/ns/pid").catch(() => undefined);
    const owner: Omit<LockOwner, "since"> = { pid: process.pid, hostname: hostname() };
    if (stat) owner.starttime = stat.starttime;
    if (pidns) owner.pidns = pidns;
    return owner;
  })();
  const { pid, hostname: host, starttime, pidns } = await self;
  // Fixed key order: the release compares the text it wrote.
  return { pid, hostname: host, since: new Date().toISOString(), ...(starttime && { starttime }), ...(pidns && { pidns }) };
}

/** Whether the owner recorded in a lock still runs. Never `dead` for a process of another host or pid namespace. */
export async function lockOwnerLiveness(owner: LockOwner): Promise<OwnerLiveness> {
  const me = await currentLockOwner();
  if (owner.hostname !== undefined && owner.hostname !== me.hostname) {
    return { state: "unknown", reason: `process ${owner.pid} runs on host ${owner.hostname}, where it cannot be checked from here` };
  }
  if (owner.pidns !== undefined && owner.pidns !== me.pidns) {
    return { state: "unknown", reason: `process ${owner.pid} runs in another container (pid namespace ${owner.pidns})` };
  }
  const reused = { state: "dead", reason: `pid ${owner.pid} now belongs to a process started after the lock was taken` } as const;
  if (owner.pid === process.pid) {
    if (owner.starttime !== undefined && me.starttime !== undefined && owner.starttime !== me.starttime) return reused;
    return { state: "alive", reason: `this process (${owner.pid}) holds it` };
  }
  const stat = await readProcStat(owner.pid);
  if (stat) {
    // A zombie has ended; it only waits for its parent to read its exit status, which some never do.
    if (stat.state === "Z" || stat.state === "X") return { state: "dead", reason: `process ${owner.pid} has ended` };
    if (owner.starttime !== undefined && stat.starttime !== owner.starttime) return reused;
    return { state: "alive", reason: `process ${owner.pid} is running` };
  }
  // No /proc (macOS), or /proc mounted with hidepid, where another user's process is hidden: ask the kernel.
  try {
    process.kill(owner.pid, 0);
    return { state: "alive", reason: `process ${owner.pid} is running` };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ESRCH") return { state: "dead", reason: `process ${owner.pid} has ended` };
    return { state: "alive", reason: `process ${owner.pid} is running (as another user)` };
  }
}

async function readProcStat(pid: number): Promise<ProcStat | undefined> {
  let text: string;
  try {
    text = await readFile(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces or parentheses itself.
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const [state, starttime] = [fields[0], fields[19]];
  return state && starttime && /^\d+$/.test(starttime) ? { state, starttime } : undefined;
}
