import { DW_RESULT_MIME, DwResultBundle } from "../../src/comm/protocol.js";

/** The part of an nbformat output that matters here: its MIME bundle, if it has one. */
export interface OutputLike {
  data?: unknown;
}

/**
 * The run id of the training run a cell produced, read from the dw result bundles in its outputs,
 * or null. A `train_model` bundle wins over any other bundle that happens to carry a run id.
 *
 * @example
 * findRunId([{ data: { "application/vnd.dw.result+json": { tool: "train_model", output: { run_id: "r1" } } } }]); // "r1"
 */
export function findRunId(outputs: readonly OutputLike[]): string | null {
  let fallback: string | null = null;
  for (const output of outputs) {
    const data = output.data;
    if (typeof data !== "object" || data === null) continue;
    let raw: unknown = (data as Record<string, unknown>)[DW_RESULT_MIME];
    if (typeof raw === "string") {
      try {
        raw = JSON.parse(raw);
      } catch {
        continue;
      }
    }
    const bundle = DwResultBundle.safeParse(raw);
    if (!bundle.success) continue;
    const runId = bundle.data.output.run_id;
    if (typeof runId !== "string" || runId === "") continue;
    if (bundle.data.tool === "train_model") return runId;
    fallback ??= runId;
  }
  return fallback;
}
