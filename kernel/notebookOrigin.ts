import { readFile, stat } from "node:fs/promises";
import { basename, isAbsolute, resolve } from "node:path";

/**
 * The notebook this kernel runs, found from the environment: Jupyter server sets
 * JPY_SESSION_NAME to the notebook's path for kernels it starts (relative to the server root in
 * some versions, absolute in others; the kernel's cwd is the notebook's folder); DW_NOTEBOOK
 * names it for nbclient and other runners. Returns an absolute path, or undefined.
 */
export async function findNotebookPath(env: NodeJS.ProcessEnv, cwd: string): Promise<string | undefined> {
  for (const value of [env.DW_NOTEBOOK, env.JPY_SESSION_NAME]) {
    if (!value?.endsWith(".ipynb")) continue;
    const candidates = isAbsolute(value) ? [value] : [resolve(cwd, value), resolve(cwd, basename(value))];
    for (const c of candidates) {
      if (await isFile(c)) return c;
    }
  }
  return undefined;
}

/** The notebook's JSON text as saved now, or undefined if it cannot be read. */
export async function readNotebook(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch {
    return undefined;
  }
}

async function isFile(p: string): Promise<boolean> {
  return (await stat(p).catch(() => null))?.isFile() ?? false;
}
