import { execFileSync, spawnSync } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "../../helpers/tempWorkspace.js";

export interface DwRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface ReadOnlyWorkspace {
  /** How the folder was made read-only, for the test's name. */
  how: string;
  /** Runs `node bin/dw.js args…` in `dir`, as a process that may not write there. */
  dw(args: string[], options?: { timeout?: number }): DwRun;
  /** Makes the folder writable again (and deletable). */
  restore(): void;
}

/**
 * Makes `dir` (an existing workspace) read-only for the dw processes a test starts, or null when
 * this machine offers no way to. Mode bits do not bind root, and the tests run as root here and
 * in CI: then dw runs as `nobody` through setpriv (as test/helpers/postgres.ts runs PostgreSQL),
 * or, when `nobody` cannot read this checkout, the folder gets the immutable flag (chattr +i),
 * which binds root too. Not root: chmod is enough.
 */
export function makeReadOnly(dir: string): ReadOnlyWorkspace | null {
  const dw =
    (prefix: string[]) =>
    (args: string[], options: { timeout?: number } = {}): DwRun => {
      const [cmd, ...rest] = [...prefix, process.execPath, join(repoRoot, "bin", "dw.js"), ...args];
      const r = spawnSync(cmd, rest, { cwd: dir, encoding: "utf8", timeout: options.timeout ?? 60_000 });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    };
  const sh = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: "utf8" }).status === 0;

  if (process.getuid?.() !== 0) {
    execFileSync("chmod", ["-R", "a-w", dir]);
    return { how: "chmod a-w", dw: dw([]), restore: () => execFileSync("chmod", ["-R", "u+w", dir]) };
  }
  const id = (flag: string) => spawnSync("id", [flag, "nobody"], { encoding: "utf8" }).stdout.trim();
  const [uid, gid] = [id("-u"), id("-g")];
  if (uid && gid) {
    // World-readable and traversable (mkdtemp makes 0700 folders), but writable by no one but root.
    execFileSync("chmod", ["-R", "a-w,a+rX", dir]);
    const asNobody = ["setpriv", "--reuid", uid, "--regid", gid, "--clear-groups", "--"];
    if (dw(asNobody)(["--version"]).code === 0) {
      return { how: "as nobody (setpriv)", dw: dw(asNobody), restore: () => execFileSync("chmod", ["-R", "u+w", dir]) };
    }
    execFileSync("chmod", ["-R", "u+w", dir]);
  }
  if (sh("chattr", ["-R", "+i", dir])) {
    return { how: "immutable (chattr +i)", dw: dw([]), restore: () => execFileSync("chattr", ["-R", "-i", dir]) };
  }
  return null;
}
