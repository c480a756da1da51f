import { spawnSync } from "node:child_process";
import { readFile } from "node:fs/promises";

// Runs in the loader's own thread (Node 20 runs hooks off the main thread), so it writes to a file.
const HOOKS = `import { appendFileSync } from "node:fs";
export async function load(url, context, next) {
  appendFileSync(process.env.DW_TEST_MODULE_LOG, url + "\\n");
  return next(url, context);
}`;
// The load hook sees what `import` loads; a package loaded with `require` (the workspace requires
// isomorphic-git when it first reads an object) is seen in require's cache, written at exit.
const REGISTER = `import { register, createRequire } from "node:module";
import { appendFileSync } from "node:fs";
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOKS)}`)});
const required = createRequire("file:///").cache;
process.on("exit", () => appendFileSync(process.env.DW_TEST_MODULE_LOG, Object.keys(required).join("\\n") + "\\n"));`;

/** What a process loaded: its exit code, output, and every module URL (or CommonJS path) in load order. */
export interface LoggedRun {
  code: number | null;
  stdout: string;
  stderr: string;
  modules: string[];
}

/**
 * Runs `node <args>` in `cwd` with a module-load hook that writes every module it loads to `log`
 * (a fresh file per run), as Node's own loader sees them: what a command loads, not how long it takes.
 *
 * @example
 * ```ts
 * const r = await runWithModuleLog("/tmp/m1.txt", ws, [join(repoRoot, "bin", "dw.js"), "--version"]);
 * packagesOf(r.modules); // Set {} — nothing from node_modules
 * ```
 */
export async function runWithModuleLog(log: string, cwd: string, args: readonly string[]): Promise<LoggedRun> {
  const r = spawnSync(process.execPath, ["--import", `data:text/javascript,${encodeURIComponent(REGISTER)}`, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, DW_TEST_MODULE_LOG: log },
  });
  const modules = (await readFile(log, "utf8")).split("\n").filter(Boolean);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, modules };
}

/** The packages under node_modules that these URLs come from. */
export function packagesOf(modules: readonly string[]): Set<string> {
  const found = new Set<string>();
  for (const url of modules) {
    const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (m) found.add(m[1]);
  }
  return found;
}
