import type { Workspace } from "../../workspace/Workspace.js";
import { ModelCardFields, Registration, type VersionInfo } from "../../registry/readRegistry.js";

/**
 * A registered version's model card, as flat text fields. The registry has no model-card object of
 * its own yet, so the card is assembled from what a version records: `description` (from
 * register_model), any `model_card` mapping in registration.json or a `model_card.json` in the
 * version's commit (for fields such as intended_use, limitations, owner), and the facts the run
 * holds (algorithm, task, target, features, training_data, metrics, run_id), which are always there.
 */
export async function readModelCard(ws: Workspace, info: VersionInfo): Promise<Record<string, string>> {
  const card: Record<string, string> = {
    algorithm: info.run.algorithm,
    task: info.run.task,
    target: info.run.target,
    features: info.run.features.join(", "),
    training_data: `${info.run.data.dataset_id} (sha256 ${info.run.data.sha256.slice(0, 12)}, ${info.run.data.rows_used} rows)`,
    metrics: Object.entries(info.run.metrics)
      .map(([k, v]) => `${k}=${v.toFixed(4)}`)
      .join(" "),
    run_id: info.run_id,
    registered_at: info.registered_at,
  };
  if (info.description !== undefined) card.description = info.description;
  const reg = await ws.readDocument(Registration, info.commit, "registration.json");
  const file = await ws.readDocument(ModelCardFields, info.commit, "model_card.json").catch(() => null);
  for (const extra of [file, reg?.model_card]) {
    if (!extra || typeof extra !== "object" || Array.isArray(extra)) continue;
    for (const [k, v] of Object.entries(extra as Record<string, unknown>)) {
      if (v === null || v === undefined) continue;
      card[k] = typeof v === "string" ? v : JSON.stringify(v);
    }
  }
  return card;
}
