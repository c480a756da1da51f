import { z } from "zod";
import { formatMetric } from "./formatMetric.js";
import { shortTime } from "./runsView.js";

/**
 * What the Models panel shows beyond the state's listing, as data (no DOM): a version's model card
 * (get_model_versions), its lineage to the data (get_lineage), and what moving an alias does
 * (deploy_model). The labextension cannot import the tools (they are not zod-only), so the fields
 * shown are checked here again: an output that does not match is an error, not a half-drawn card.
 */
const VersionDetail = z.object({
  version: z.number().int(),
  run_id: z.string(),
  commit: z.string(),
  algorithm: z.string(),
  task: z.string(),
  target: z.string(),
  features: z.array(z.string()),
  dataset_id: z.string(),
  data_sha256: z.string(),
  metrics: z.record(z.string(), z.number()),
  registered_at: z.string(),
  description: z.string().optional(),
});
const ModelVersions = z.object({ model_name: z.string(), versions: z.array(VersionDetail) });
export type VersionDetail = z.infer<typeof VersionDetail>;

const Lineage = z.object({
  versions: z.array(
    z.object({
      sha256: z.string(),
      datasets: z.array(z.string()),
      runs: z.array(z.object({ run_id: z.string(), models: z.array(z.object({ model_name: z.string(), version: z.number().int() })) })),
    }),
  ),
});

export type Read<T> = { ok: true; value: T } | { ok: false; message: string };

function read<T>(schema: z.ZodType<T>, tool: string, output: unknown): Read<T> {
  const parsed = schema.safeParse(output);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, message: `${tool} answered something the panel cannot read (${issue?.path.join(".") || "output"}: ${issue?.message}).` };
}

/** get_model_versions' versions by number. */
export function readModelVersions(output: unknown): Read<Map<number, VersionDetail>> {
  const r = read(ModelVersions, "get_model_versions", output);
  return r.ok ? { ok: true, value: new Map(r.value.versions.map((v) => [v.version, v])) } : r;
}

/** A version's model card: the facts every version records, as label and value. */
export function modelCardView(v: VersionDetail): { label: string; value: string; title?: string }[] {
  const rows: { label: string; value: string; title?: string }[] = [];
  if (v.description) rows.push({ label: "description", value: v.description });
  rows.push(
    { label: "task", value: `${v.task}, target ${v.target}` },
    { label: "algorithm", value: v.algorithm },
    { label: "features", value: v.features.join(", ") || "—" },
    {
      label: "metrics",
      value:
        Object.entries(v.metrics)
          .map(([k, x]) => `${k} ${formatMetric(x)}`)
          .join(" · ") || "—",
    },
    { label: "data", value: `${v.dataset_id} · sha256 ${v.data_sha256.slice(0, 12)}`, title: v.data_sha256 },
    { label: "run", value: v.run_id, title: `registration commit ${v.commit}` },
    { label: "registered", value: shortTime(v.registered_at), title: v.registered_at },
  );
  return rows;
}

/**
 * The version's data in get_lineage's answer for its content hash: whether a dataset still holds
 * that content, and what else was trained on it.
 */
export function lineageView(output: unknown, detail: Pick<VersionDetail, "data_sha256" | "dataset_id" | "run_id">): Read<string[]> {
  const r = read(Lineage, "get_lineage", output);
  if (!r.ok) return r;
  const version = r.value.versions.find((v) => v.sha256 === detail.data_sha256);
  if (!version) return { ok: true, value: [`No run is recorded on the data ${detail.data_sha256.slice(0, 12)} any more.`] };
  const lines = [
    version.datasets.length
      ? `Trained on the current content of ${version.datasets.join(", ")}.`
      : `Trained on an earlier content of ${detail.dataset_id}: the dataset has been reloaded since.`,
  ];
  const others = version.runs.filter((run) => run.run_id !== detail.run_id);
  const models = [...new Set(others.flatMap((run) => run.models.map((m) => `${m.model_name} v${m.version}`)))];
  lines.push(
    others.length
      ? `${others.length} other run${others.length === 1 ? "" : "s"} used the same data${models.length ? `; registered as ${models.join(", ")}` : ""}.`
      : "No other run used this data.",
  );
  return { ok: true, value: lines };
}

/**
 * Moving `alias` of `model` to `version`: deploy_model's input and what the confirm dialog says,
 * or why there is nothing to do. The alias's name itself is checked by the tool (one rule, in the
 * kernel), whose error the panel shows.
 */
export function aliasMoveView(
  model: { name: string; aliases: Record<string, number> },
  version: number,
  alias: string,
): { ok: true; input: { model_name: string; version: number; alias: string }; confirm: string } | { ok: false; message: string } {
  const name = alias.trim().replace(/^@/, "");
  if (!name) return { ok: false, message: "Name the alias to move, e.g. production or staging." };
  const current = model.aliases[name];
  if (current === version) return { ok: false, message: `@${name} already points at v${version}.` };
  const confirm =
    current === undefined
      ? `Point the new alias @${name} of ${model.name} at v${version}? dw serve will serve v${version} at ${model.name}@${name}; the deploy gate runs first.`
      : `Move @${name} of ${model.name} from v${current} to v${version}? Requests to ${model.name}@${name} will be answered by v${version}; the deploy gate runs first.`;
  return { ok: true, input: { model_name: model.name, version, alias: name }, confirm };
}

/** The aliases offered when moving one: the model's own, then production and staging. */
export function aliasChoices(aliases: Record<string, number>): string[] {
  return [...new Set([...Object.keys(aliases).sort(), "production", "staging"])];
}
