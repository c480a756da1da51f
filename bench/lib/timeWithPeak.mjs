// Times a whole process (start-up included) and reads the peak resident memory of it and everything
// it starts (a Jupyter client and its kernel, a CLI and anything it forks), for benchmarks that
// print memory beside time.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";

const PAGE_BYTES = Number(execFileSync("getconf", ["PAGESIZE"], { encoding: "utf8" }).trim()) || 4096;
const GNU_TIME = "/usr/bin/time";
const SAMPLE_MS = 20;

/** Direct children of `pid`, from each of its threads' /proc children lists (cheap: no walk of /proc). */
function childrenOf(pid) {
  const out = [];
  let tids;
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      for (const c of readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").split(" ")) if (c) out.push(Number(c));
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}

/** Resident bytes of the processes under `root` (and `root` itself unless `withoutRoot`). */
function treeRss(root, withoutRoot) {
  let pages = 0;
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop();
    if (pid !== root || !withoutRoot) {
      try {
        pages += Number(readFileSync(`/proc/${pid}/statm`, "utf8").split(" ")[1]);
      } catch {
        continue; // exited
      }
    }
    stack.push(...childrenOf(pid));
  }
  return pages * PAGE_BYTES;
}

/**
 * Runs `cmd args` to its end and answers { seconds, stdout, stderr, peakMb }: wall time from spawn
 * to exit, and the peak resident memory of the process tree in MB (2^20 bytes). The peak is the
 * larger of two readings: the tree's summed RSS sampled every 20 ms (sees a client and its kernel
 * together, but can miss a spike shorter than a sample) and, where GNU time is installed, the
 * kernel's exact high-water mark of the largest single process (ru_maxrss, which never misses a
 * spike but does not add processes up). A non-zero exit rejects with the command's stderr.
 */
export function timeWithPeak(cmd, args, { cwd, env } = {}) {
  const wrapped = existsSync(GNU_TIME);
  const scratch = wrapped ? mkdtempSync(join(tmpdir(), "dw-bench-time-")) : null;
  const maxrssFile = wrapped ? join(scratch, "maxrss") : null;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = wrapped
      ? spawn(GNU_TIME, ["-f", "%M", "-o", maxrssFile, cmd, ...args], { cwd, env: env ?? process.env, stdio: ["ignore", "pipe", "pipe"] })
      : spawn(cmd, args, { cwd, env: env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let sampled = 0;
    const sample = () => {
      sampled = Math.max(sampled, treeRss(child.pid, wrapped));
    };
    const timer = setInterval(sample, SAMPLE_MS);
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", (e) => {
      clearInterval(timer);
      reject(e);
    });
    child.on("close", (code) => {
      const seconds = (performance.now() - started) / 1000;
      clearInterval(timer);
      let maxrss = 0;
      if (wrapped) {
        try {
          // GNU time writes "Command exited with non-zero status N" before the figure on a failure.
          maxrss = Number(readFileSync(maxrssFile, "utf8").trim().split("\n").pop()) * 1024 || 0;
        } catch {
          // no figure: the sampled peak stands alone
        }
        rmSync(scratch, { recursive: true, force: true });
      }
      if (code !== 0) {
        reject(new Error(`${cmd} ${args.join(" ")} (in ${cwd ?? process.cwd()}) exited with ${code}:\n${stderr || stdout}`));
        return;
      }
      resolve({ seconds, stdout, stderr, peakMb: Math.max(sampled, maxrss) / 1048576 });
    });
  });
}
