import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "../helpers/tempWorkspace.js";

/** The parts of nbformat outputs and cells the notebook tests read. */
export interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
}
export interface Cell {
  cell_type: string;
  source?: string | string[];
  outputs?: Output[];
}

/** nbformat keeps multi-line text as a list of lines. */
export const text = (t: string | string[] | undefined) => (Array.isArray(t) ? t.join("") : (t ?? ""));

const python = join(repoRoot, ".venv", "bin", "python");
const runner = join(repoRoot, "test", "notebook", "run_notebook.py");

/** Executes a notebook with nbclient and the dw kernel (run_notebook.py), writing the result to `outPath`. */
export function executeNotebook(nbPath: string, outPath: string, allowErrors = false, timeoutMs = 300_000) {
  const r = spawnSync(python, [runner, nbPath, outPath, ...(allowErrors ? ["--allow-errors"] : [])], { encoding: "utf8", timeout: timeoutMs });
  return { code: r.status, stderr: r.stderr + (r.error ? String(r.error) : "") };
}
