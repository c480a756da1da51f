import { mkdtemp, mkdir, copyFile, rm, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, found from this file's place in dist/test/helpers/. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

export interface TempWorkspace {
  dir: string;
  cleanup(): Promise<void>;
}

/**
 * A fresh folder holding what a user has after cloning: the quickstart notebook and the
 * seattle-weather data under data/. The folder has no git repository yet: dw must create one.
 */
export async function makeTempWorkspace(prefix = "dw-test-"): Promise<TempWorkspace> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await mkdir(join(dir, "data"), { recursive: true });
  await copyFile(join(repoRoot, "examples", "quickstart.ipynb"), join(dir, "quickstart.ipynb"));
  await copyFile(join(repoRoot, "node_modules", "vega-datasets", "data", "seattle-weather.csv"), join(dir, "data", "seattle-weather.csv"));
  return {
    dir,
    cleanup: async () => {
      await stopWorkspaceServer(dir);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Ends the `dw serve` that a kernel or a tool started for this workspace, if any, and waits until its process is gone. */
export async function stopWorkspaceServer(dir: string): Promise<void> {
  let pid: number;
  try {
    pid = JSON.parse(await readFile(join(dir, ".dw", "server.json"), "utf8")).pid;
  } catch {
    return;
  }
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return;
  }
  for (let i = 0; i < 200; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`dw serve (pid ${pid}) did not stop`);
}
