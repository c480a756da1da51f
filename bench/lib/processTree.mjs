// CPU time and resident memory of a process and every process below it, read from Linux's /proc,
// so a server that forks workers (uvicorn -w N, a Node cluster) is measured whole.
import { readdirSync, readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";

const TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
const PAGE_BYTES = Number(execFileSync("getconf", ["PAGESIZE"], { encoding: "utf8" }).trim()) || 4096;

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses), or null once the process is gone. */
function statFields(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  return text.slice(text.lastIndexOf(")") + 2).split(" ");
}

/** `root` and the pids of all its descendants that are alive now. */
export function processTree(root) {
  const children = new Map();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const f = statFields(name);
    if (!f) continue;
    const ppid = Number(f[1]); // field 4 of stat; f[0] is field 3 (state)
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(Number(name));
  }
  const out = [];
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop();
    if (!statFields(pid)) continue;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/**
 * CPU time (user + system, ms) so far of each process in the tree under `root`, by pid. Compare two
 * snapshots with cpuBetween: a process that ran in both counts its growth, a new one all it used.
 */
export function cpuSnapshot(root) {
  const byPid = new Map();
  for (const pid of processTree(root)) {
    const f = statFields(pid);
    if (!f) continue;
    // utime and stime are fields 14 and 15 of stat (f[11], f[12]); the start time (field 22) tells a reused pid apart.
    byPid.set(pid, { ms: ((Number(f[11]) + Number(f[12])) * 1000) / TICKS_PER_SECOND, start: f[19] });
  }
  return byPid;
}

/** CPU ms the tree used between two snapshots (processes that exited in between are not seen: servers keep theirs). */
export function cpuBetween(before, after) {
  let ms = 0;
  for (const [pid, a] of after) {
    const b = before.get(pid);
    ms += b && b.start === a.start ? a.ms - b.ms : a.ms;
  }
  return ms;
}

/** Resident memory of the whole tree under `root`, in bytes (the sum of each process's RSS). */
export function treeRssBytes(root) {
  let pages = 0;
  for (const pid of processTree(root)) {
    try {
      pages += Number(readFileSync(`/proc/${pid}/statm`, "utf8").split(" ")[1]);
    } catch {
      // exited between the listing and the read
    }
  }
  return pages * PAGE_BYTES;
}
