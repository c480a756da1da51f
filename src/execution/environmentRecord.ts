import { readFile } from "node:fs/promises";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cpus as listCpus, release } from "node:os";
import { DW_VERSION } from "../version.js";

/** execution/environment.json: what a rebuild on another machine compares against to explain a difference. */
export interface EnvironmentRecord {
  node: string;
  v8: string;
  dw: string;
  /** tslab's version as installed (null when it is not: a CLI-only install). */
  tslab: string | null;
  /** Each of dw's package.json dependencies, at the version installed (null when missing). */
  dependencies: Record<string, string | null>;
  os: { platform: string; release: string; arch: string };
  cpu: { model: string; count: number };
}

let computed: Promise<EnvironmentRecord> | undefined;

/**
 * The environment a run was made in: Node and V8, dw, tslab and each of dw's dependencies as
 * installed (read from node_modules/<name>/package.json under dw's own package root), the OS and
 * the CPU. Computed once per process: none of it changes while the process lives.
 *
 * @example
 * ```ts
 * const env = await environmentRecord();
 * env.dependencies["zod"]; // "4.6.7"
 * ```
 */
export function environmentRecord(): Promise<EnvironmentRecord> {
  computed ??= compute();
  return computed;
}

async function compute(): Promise<EnvironmentRecord> {
  const root = packageRoot();
  const pkg = root ? (JSON.parse(await readFile(join(root, "package.json"), "utf8")) as { dependencies?: Record<string, string> }) : {};
  const names = Object.keys(pkg.dependencies ?? {}).sort();
  const installed = async (name: string): Promise<string | null> => {
    try {
      const v = (JSON.parse(await readFile(join(root ?? "", "node_modules", name, "package.json"), "utf8")) as { version?: unknown }).version;
      return typeof v === "string" ? v : null;
    } catch {
      return null;
    }
  };
  const dependencies = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await installed(n)] as const)));
  const cpus = listCpus();
  return {
    node: process.versions.node,
    v8: process.versions.v8,
    dw: DW_VERSION,
    tslab: dependencies.tslab ?? (await installed("tslab")),
    dependencies,
    os: { platform: process.platform, release: release(), arch: process.arch },
    cpu: { model: cpus[0]?.model.trim() ?? "unknown", count: cpus.length },
  };
}

/** dw's package root: the nearest folder above this file whose package.json is dw's (src/ or dist/src/ alike). */
function packageRoot(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      try {
        // Read synchronously once per process; a package.json of another name (a nested one) is passed.
        if ((JSON.parse(readFileSync(file, "utf8")) as { name?: unknown }).name === "dw") return dir;
      } catch {
        // unreadable: keep looking up
      }
    }
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}
