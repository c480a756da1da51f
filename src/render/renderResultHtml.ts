import { esc, fmt, kv, note, num, section, table, title, type Renderer } from "./html.js";
import { dataRenderers } from "./groups/data.js";
import { qualityRenderers } from "./groups/quality.js";
import { piiRenderers } from "./groups/pii.js";
import { governanceRenderers } from "./groups/governance.js";

/**
 * A readable HTML summary of a tool's output for the notebook. The JSON underneath stays the
 * result; this is only its face. Every value is escaped.
 */
export function renderResultHtml(tool: string, output: Record<string, unknown>): string {
  const body = (RENDERERS[tool] ?? renderGeneric)(output);
  return `<div class="dw-result" data-dw-tool="${esc(tool)}" style="font-family: var(--jp-ui-font-family, sans-serif); font-size: 13px; line-height: 1.45">${body}</div>`;
}

const CORE_RENDERERS: Record<string, Renderer> = {
  train_model: (o) => {
    const metrics = o.metrics as Record<string, number>;
    const rows = o.rows as { train: number; test: number; dropped_missing: number };
    const timings = o.timings as Record<string, number>;
    const model = (o.model ?? {}) as Record<string, unknown>;
    const summary: [string, string][] = [];
    if (typeof model.intercept === "number") summary.push(["intercept", fmt(model.intercept)]);
    for (const [k, v] of Object.entries((model.coefficients ?? {}) as Record<string, number>)) summary.push([`coef ${k}`, fmt(v)]);
    for (const [k, v] of Object.entries(model)) if (k !== "intercept" && k !== "coefficients") summary.push([k, esc(v)]);
    const evaluation = o.evaluation === "kfold" ? "k-fold mean" : `${num(rows.test)} held-out rows`;
    return (
      title(
        `Run <code>${esc(o.run_id)}</code>`,
        `${esc(o.algorithm)} · ${esc(o.task)} · ${esc(o.target)} ~ ${(o.features as string[]).map(esc).join(" + ")} · data <code>${esc(o.dataset_id)}</code>`,
      ) +
      (o.note ? `<div style="opacity: 0.75">${esc(o.note)}</div>` : "") +
      kv([
        ...Object.entries(metrics).map(([k, v]) => [k, fmt(v)] as [string, string]),
        ["evaluated on", evaluation],
        ["rows", `${num(rows.train)} train${rows.dropped_missing ? ` · ${num(rows.dropped_missing)} dropped (no target)` : ""}`],
        ["fit", `${fmt(timings.fit_s)} s (total ${fmt(timings.total_s)} s)`],
        ...summary,
      ]) +
      note(`git log refs/dw/runs/${esc(o.run_id)}`)
    );
  },
  register_model: (o) =>
    title(`Model <code>${esc(o.model_name)}</code> version ${esc(o.version)}`, `from run <code>${esc(o.run_id)}</code> · ${esc(o.algorithm)}`) +
    kv(Object.entries(o.metrics as Record<string, number>).map(([k, v]) => [k, fmt(v)])) +
    note(`git log ${esc(o.ref)}`),
  get_model_versions: (o) => {
    const versions = o.versions as {
      version: number;
      run_id: string;
      aliases: string[];
      algorithm: string;
      metrics: Record<string, number>;
      registered_at: string;
    }[];
    const metricNames = [...new Set(versions.flatMap((v) => Object.keys(v.metrics)))];
    return (
      title(`Model <code>${esc(o.model_name)}</code>`, `${esc(o.total_versions)} version(s)`) +
      table(
        ["version", "aliases", "run", "algorithm", ...metricNames, "registered"],
        versions.map((v) => [
          esc(v.version),
          esc(v.aliases.join(", ")),
          `<code>${esc(v.run_id)}</code>`,
          esc(v.algorithm),
          ...metricNames.map((m) => fmt(v.metrics[m])),
          esc(v.registered_at),
        ]),
      )
    );
  },
  get_feature_stats: (o) => {
    const cols = (o.columns as Record<string, any>[]) ?? [];
    return (
      title(`Feature statistics of <code>${esc(o.dataset_id)}</code>`, `${num(o.rows)} rows × ${cols.length} columns`) +
      table(
        ["column", "type", "nulls", "distinct", "mean", "std", "min", "p25", "p50", "p75", "max", "top values"],
        cols.map((c) => [
          esc(c.name),
          `<em>${esc(c.type)}</em>`,
          c.nulls ? `${num(c.nulls)} (${fmt(100 * c.null_rate)}%)` : "0",
          num(c.distinct),
          ...["mean", "std", "min"].map((k) => fmt(c[k])),
          ...["p25", "p50", "p75"].map((k) => fmt(c.quantiles?.[k])),
          fmt(c.max),
          esc(
            ((c.top_values ?? []) as { value: string; count: number }[])
              .slice(0, 4)
              .map((t) => `${t.value} (${t.count})`)
              .join(", "),
          ),
        ]),
      )
    );
  },
  suggest_features: (o) => {
    const features = (o.features as Record<string, any>[]) ?? [];
    const flags = (o.flags as Record<string, any>[]) ?? [];
    const transforms = (o.transforms as Record<string, any>[]) ?? [];
    const joins = (o.joins as Record<string, any>[]) ?? [];
    const bar = (x: number) =>
      `<span style="display: inline-block; height: 8px; width: ${Math.round(Math.max(0, Math.min(1, x)) * 80)}px; background: var(--jp-brand-color1, #1976d2)"></span>`;
    return (
      title(`Features for <code>${esc(o.target)}</code>`, `${esc(o.task)} · dataset <code>${esc(o.dataset_id)}</code> · ${num(o.rows_used)} rows`) +
      table(
        ["rank", "feature", "type", "score", "", "r", "MI"],
        features.map((f) => [esc(f.rank), esc(f.name), `<em>${esc(f.type)}</em>`, fmt(f.score), bar(f.score), fmt(f.correlation), fmt(f.mutual_information)]),
      ) +
      (flags.length
        ? section("Flags") +
          table(
            ["column", "kind", "reason"],
            flags.map((f) => [esc(f.column), `<strong>${esc(f.kind)}</strong>`, esc(f.reason)]),
          )
        : "") +
      (transforms.length
        ? section("Transforms to try") +
          table(
            ["column", "transform", "reason"],
            transforms.map((t) => [esc(t.column), esc(t.transform), esc(t.reason)]),
          )
        : "") +
      (joins.length
        ? section("Join candidates") +
          table(
            ["dataset", "column", "overlap"],
            joins.map((j) => [esc(j.dataset_id), esc(j.column), `${fmt(100 * j.overlap)}%`]),
          )
        : "")
    );
  },
  create_experiment: (o) =>
    title(
      `Experiment <code>${esc(o.name)}</code>${o.created ? " created" : " (exists)"}`,
      `${((o.runs as unknown[]) ?? []).length} run(s)${o.description ? ` · ${esc(o.description)}` : ""}`,
    ) + note(`git log ${esc(o.ref)}`),
  log_metrics: (o) =>
    title(
      `Logged ${((o.points as unknown[]) ?? []).length} metric(s) on run <code>${esc(o.run_id)}</code>`,
      `step ${esc(o.step)} · ${num(o.total_points)} points in all${o.experiment ? ` · experiment ${esc(o.experiment)}` : ""}`,
    ) + kv(((o.points as { key: string; value: number }[]) ?? []).map((p) => [p.key, fmt(p.value)])),
  compare_experiments: (o) => {
    const runs = (o.runs as Record<string, any>[]) ?? [];
    const metricNames = [...new Set(runs.flatMap((r) => Object.keys(r.metrics ?? {})))];
    const diffs = (o.differing_parameters as { parameter: string; values: Record<string, unknown> }[]) ?? [];
    const short = (id: string) => `<code>${esc(id)}</code>`;
    return (
      title(
        `Comparison${o.experiment ? ` of <code>${esc(o.experiment)}</code>` : ""}`,
        `ranked by ${esc(o.metric)} (${o.higher_is_better ? "higher" : "lower"} is better) · best ${short(String(o.best_run_id))}`,
      ) +
      table(
        ["rank", "run", "algorithm", ...metricNames.flatMap((m) => [m, `Δ ${m}`])],
        runs.map((r) => [
          esc(r.rank ?? "–"),
          short(r.run_id),
          esc(r.algorithm),
          ...metricNames.flatMap((m) => [fmt(r.metrics?.[m]), fmt(r.delta_vs_best?.[m])]),
        ]),
      ) +
      (diffs.length
        ? section("Parameters that differ") +
          table(
            ["parameter", ...runs.map((r) => short(r.run_id))],
            diffs.map((d) => [esc(d.parameter), ...runs.map((r) => esc(JSON.stringify(d.values[r.run_id] ?? null)))]),
          )
        : "")
    );
  },
  select_model: (o) => {
    const c = (o.characteristics ?? {}) as Record<string, any>;
    const recs = (o.recommendations as Record<string, any>[]) ?? [];
    const notes = (o.notes as string[]) ?? [];
    const facts: [string, string][] = [
      ["rows", num(c.rows)],
      ["features", `${num(c.features)} (${num(c.encoded_features)} after encoding)`],
      ["categorical share", fmt(c.categorical_share)],
      ["missing share", fmt(c.missing_share)],
    ];
    if (c.classes !== undefined) facts.push(["classes", `${num(c.classes)} · rarest ${esc(c.minority_class)} (${fmt(100 * c.minority_share)}%)`]);
    if (c.nonlinearity)
      facts.push([
        "non-linearity probe",
        `linear ${fmt(c.nonlinearity.linear)} vs shallow tree ${fmt(c.nonlinearity.shallow_tree)} (${esc(c.nonlinearity.metric)}) → ${c.nonlinearity.nonlinear ? "non-linear" : "linear enough"}`,
      ]);
    return (
      title(`Model selection for <code>${esc(o.target)}</code>`, `${esc(o.task)} · dataset <code>${esc(o.dataset_id)}</code>`) +
      kv(facts) +
      section("Recommendations") +
      table(
        ["rank", "algorithm", "cv", "fit", "rationale"],
        recs.map((r) => [
          esc(r.rank),
          `<strong>${esc(r.algorithm)}</strong>`,
          r.cv ? `${fmt(r.cv.mean)} ± ${fmt(r.cv.std)}` : "",
          r.cv ? `${fmt(r.cv.fit_s)} s` : "",
          esc(r.rationale),
        ]),
      ) +
      (notes.length ? `<ul style="margin: 4px 0">${notes.map((n) => `<li>${esc(n)}</li>`).join("")}</ul>` : "")
    );
  },
  evaluate_model: (o) =>
    title(
      `Evaluation of <code>${esc(o.model_id)}</code>`,
      `${esc(o.task)} · ${esc(o.evaluation)} · ${num(o.rows)} rows${o.dataset_id ? ` · dataset <code>${esc(o.dataset_id)}</code>` : ""}`,
    ) +
    (o.note ? `<div style="opacity: 0.75">${esc(o.note)}</div>` : "") +
    kv(Object.entries((o.metrics ?? {}) as Record<string, number>).map(([k, v]) => [k, fmt(v)])) +
    (Array.isArray(o.confusion_matrix) && Array.isArray(o.classes)
      ? section("Confusion matrix (rows: true, columns: predicted)") +
        table(
          ["", ...(o.classes as unknown[]).map(esc)],
          (o.confusion_matrix as number[][]).map((row, i) => [`<strong>${esc((o.classes as unknown[])[i])}</strong>`, ...row.map(num)]),
        )
      : ""),
  explain_model: (o) => {
    const perm = (o.permutation_importance as { feature: string; mean: number; std: number }[]) ?? [];
    const gain = (o.gain_importance as { feature: string; importance: number }[]) ?? [];
    return (
      title(
        `Why <code>${esc(o.model_id)}</code> predicts what it does`,
        `permutation importance: drop in ${esc(o.metric)} (baseline ${fmt(o.baseline)}) over ${num(o.rows)} rows`,
      ) +
      table(
        ["feature", "importance", "± std"],
        perm.map((p) => [esc(p.feature), fmt(p.mean), fmt(p.std)]),
      ) +
      (gain.length
        ? section("Gain importance") +
          table(
            ["feature", "share"],
            gain.slice(0, 15).map((g) => [esc(g.feature), fmt(g.importance)]),
          )
        : "") +
      (o.note ? `<div style="opacity: 0.75">${esc(o.note)}</div>` : "")
    );
  },
  create_feature_pipeline: (o) =>
    title(
      `Feature pipeline <code>${esc(o.name)}</code> v${esc(o.version)}${o.created ? "" : " (unchanged)"}`,
      `on dataset <code>${esc(o.dataset_id)}</code> · ${((o.features as unknown[]) ?? []).length} features`,
    ) +
    table(
      ["column", "transform"],
      ((o.steps as { column: string; transform: string; inputs?: string[] }[]) ?? []).map((st) => [
        esc(st.column),
        esc(st.inputs ? `${st.transform} of ${st.inputs.join(" × ")}` : st.transform),
      ]),
    ) +
    note(`git log ${esc(o.ref)}`),
  deploy_model: (o) => endpoint(o),
  productionize: (o) => endpoint(o),
};

function endpoint(o: Record<string, unknown>): string {
  return (
    title(`Deployed <code>${esc(o.model_name)}@${esc(o.alias)}</code> → version ${esc(o.version)}`, "MLflow scoring protocol · live") +
    kv([
      ["endpoint", `<a href="${esc(o.endpoint_url)}" target="_blank" rel="noopener">${esc(o.endpoint_url)}</a>`],
      ["pinned", esc(o.version_url)],
    ]) +
    `<pre style="white-space: pre-wrap; margin: 6px 0; padding: 6px; background: var(--jp-layout-color2, #f5f5f5)">${esc(o.curl)}</pre>`
  );
}

/** Each group of tools brings its renderers in its own file under groups/. */
const RENDERERS: Record<string, Renderer> = { ...CORE_RENDERERS, ...dataRenderers, ...qualityRenderers, ...piiRenderers, ...governanceRenderers };

/** Whether a tool has its own summary (the render test requires one for every tool). */
export function hasRenderer(tool: string): boolean {
  return Object.hasOwn(RENDERERS, tool);
}

function renderGeneric(o: Record<string, unknown>): string {
  return `<pre>${esc(JSON.stringify(o, null, 2))}</pre>`;
}
