import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "../../../helpers/tempWorkspace.js";

const run = promisify(execFile);

/** The Python holding onnxruntime: $DW_BENCH_PYTHON, else `<repo>/.venv-bench/bin/python` (made by `node scripts/setup.mjs --for-tests`). */
export const benchPython = process.env.DW_BENCH_PYTHON ?? join(repoRoot, ".venv-bench", "bin", "python");
const script = join(repoRoot, "test", "src", "platforms", "onnx", "scoreOnnx.py");

/** What onnxruntime answered: the session's inputs and outputs, each output's values and dtype, and the model's metadata. */
export interface OnnxRuntimeAnswer {
  inputs: { name: string; type: string; shape: (number | string)[] }[];
  outputs: { name: string; type: string; shape: (number | string)[] }[];
  values: Record<string, any[]>;
  dtypes: Record<string, string>;
  metadata: Record<string, string>;
  producer: string;
  version: number;
}

/**
 * Loads `model` in the real onnxruntime (scoreOnnx.py) and scores the rows given by column (null
 * for a missing value: NaN for a double input, "" for a string input). `threads` sets the
 * session's intra-op threads (default: onnxruntime's choice).
 */
export async function scoreWithOnnxRuntime(model: string, inputs: Record<string, unknown[]>, threads?: number): Promise<OnnxRuntimeAnswer> {
  const dir = await mkdtemp(join(tmpdir(), "dw-onnx-"));
  try {
    const request = join(dir, "request.json");
    await writeFile(request, JSON.stringify({ inputs, ...(threads ? { threads } : {}) }));
    const { stdout } = await run(benchPython, [script, model, request], { maxBuffer: 256 * 1024 * 1024 });
    return JSON.parse(stdout) as OnnxRuntimeAnswer;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
