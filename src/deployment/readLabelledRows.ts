import type { Workspace } from "../workspace/Workspace.js";
import { readMonitoringPolicy } from "../monitoring/monitoringPolicy.js";
import { readFeedback, readInferenceWindow } from "../monitoring/log/readInferenceLog.js";
import type { LabelledRow } from "./compareOnLabelledRows.js";

/**
 * A deployment's recent requests whose labels arrived: the newest `window_rows` rows of its
 * inference log (the policy's drift window) joined to its feedback by `<request id>:<row>`. Rows
 * whose scoring failed are left out; `logged` counts the rows read.
 *
 * @example
 * ```ts
 * const { rows } = await readLabelledRows(ws, "temp", "production");
 * rows[0]; // { x: { precipitation: 0, temp_min: 5, wind: 4.7 }, label: 12.2 }
 * ```
 */
export async function readLabelledRows(ws: Workspace, model: string, alias: string): Promise<{ rows: LabelledRow[]; logged: number }> {
  const { policy } = await readMonitoringPolicy(ws);
  const { records } = await readInferenceWindow(ws.root, model, alias, { last: policy.drift.window_rows });
  const labels = await readFeedback(ws.root, model, alias);
  const rows: LabelledRow[] = [];
  for (const r of records) {
    if (r.err !== undefined) continue;
    const feedback = labels.get(`${r.id}:${r.row}`);
    if (feedback) rows.push({ x: r.x, label: feedback.label });
  }
  return { rows, logged: records.length };
}
