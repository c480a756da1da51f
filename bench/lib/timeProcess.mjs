// Times a whole process as its user runs it, without blocking this process's event loop (a bench
// may serve the other side, e.g. a git HTTP server, from the same process).
import { spawn } from "node:child_process";

/**
 * Runs `cmd args` to its end and answers { seconds, stdout, stderr }: wall time from spawn to exit,
 * start-up included. A non-zero exit is an error naming the command and carrying its stderr, since
 * a failed command measures nothing.
 */
export function timeProcess(cmd, args, { cwd, env } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, args, { cwd, env: env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const seconds = (performance.now() - started) / 1000;
      if (code === 0) resolve({ seconds, stdout, stderr });
      else reject(new Error(`${cmd} ${args.join(" ")} (in ${cwd ?? process.cwd()}) exited with ${code}:\n${stderr || stdout}`));
    });
  });
}

/** The median of a list of numbers. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
