import type { Workspace } from "../workspace/Workspace.js";
import { DwError } from "../errors/DwError.js";
import { readDataset } from "../data/readDataset.js";
import { requireColumn } from "../data/requireColumn.js";
import type { ColumnSummary } from "../data/profileColumn.js";
import { dataVersion } from "../data/profileCacheKey.js";
import { profileCacheSummaries } from "../data/profileCacheSummaries.js";
import { findJoinCandidates, type JoinCandidate } from "../data/findJoinCandidates.js";
import type { Column, ColumnType, TextColumn } from "../data/Dataset.js";
import { inferTask } from "../models/trainingData.js";
import { binCount, discretizeNumbers, discretizeText, entropy, informationCorrelation, mutualInformation, pearson, type Codes } from "../models/dependence.js";

/** Text columns with at most this many values are one-hot encoded; more, target encoded. */
const ONE_HOT_MAX = 10;
/** |r| above this, or MI above this share of the target's entropy, is treated as leakage. */
const LEAK_CORRELATION = 0.98;
const LEAK_INFORMATION = 0.95;
const HIGH_NULLS = 0.5;
const SKEWED = 1;

/** What suggest_features answers: ranked features, proposed transforms, flagged columns and datasets to join. */
export interface FeatureSuggestions {
  dataset_id: string;
  target: string;
  task: "regression" | "classification";
  /** Rows with a target value: the rows every score is measured on. */
  rows_used: number;
  /** Candidate features, best first; columns flagged as leakage, ID-like or constant are left out. */
  features: { name: string; type: ColumnType; score: number; correlation?: number; mutual_information: number; rank: number }[];
  transforms: {
    column: string;
    transform: "one_hot" | "target_encoding" | "date_parts" | "log1p" | "interaction";
    inputs: string[];
    new_columns: string[];
    reason: string;
  }[];
  flags: { column: string; kind: "leakage" | "id_like" | "constant" | "high_nulls"; reason: string }[];
  joins: JoinCandidate[];
}

/**
 * Ranks a dataset's columns as features for a target and says what to do with them. Every
 * column and the target are reduced to codes (numbers and dates: ⌊∛n⌋ equal-frequency bins, at
 * most 20; text and booleans: their values; missing: a code of its own), and the score is the
 * mutual information between the codes, less its expected value under independence, put on the
 * |r| scale (Linfoot's √(1−e^(−2·MI))); for a numeric target and a numeric or date feature, the
 * larger of that and |Pearson r|. It also proposes encodings, date parts, log1p of skewed
 * non-negative columns and products of top numeric pairs that score above both parents; flags
 * leakage, ID-like, constant and mostly-missing columns; and lists other datasets that share a key.
 * The task is read from the target as train_model reads it unless `task` says otherwise.
 *
 * @example
 * ```ts
 * const s = await proposeFeatures(ws, { datasetId: "seattle-weather", target: "temp_max", maxFeatures: 20 });
 * s.features[0].name; // "temp_min"
 * ```
 */
export async function proposeFeatures(
  ws: Workspace,
  args: { datasetId: string; target: string; maxFeatures: number; task?: "regression" | "classification" },
): Promise<FeatureSuggestions> {
  const { record, ds } = await readDataset(ws, args.datasetId);
  const targetCol = requireColumn(ds, args.target, "target", record.dataset_id);
  // The column summaries get_feature_stats shows, kept per data version: computed once, shared.
  const names = ds.columns.map((c) => c.name);
  const summaries = await profileCacheSummaries(ws, { version: dataVersion(ws, record) }, names, "columns", record.dataset_id, async () => ds);
  const summaryOf = new Map(names.map((name, i) => [name, summaries[i]]));
  const targetProfile = summaryOf.get(targetCol.name)!;
  const task = taskOf(targetCol, targetProfile, args.task);

  const keep: number[] = [];
  for (let i = 0; i < ds.rows; i++) if (!isMissing(targetCol, i)) keep.push(i);
  const bins = binCount(keep.length);
  const yNum = targetCol.type === "number" ? subsetNumbers(targetCol.values, keep) : undefined;
  const y: Codes = task === "regression" ? discretizeNumbers(yNum!, bins) : discretizeText(keep.map((i) => textAt(targetCol, i)));
  const hY = entropy(y);

  const scored: (FeatureSuggestions["features"][number] & { values?: Float64Array })[] = [];
  const transforms: FeatureSuggestions["transforms"] = [];
  const flags: FeatureSuggestions["flags"] = [];
  const measure = (x: Codes, xNum: Float64Array | undefined) => {
    const mi = mutualInformation(x, y);
    const r = task === "regression" && xNum && yNum ? pearson(xNum, yNum) : NaN;
    const score = Math.max(Number.isNaN(r) ? 0 : Math.abs(r), informationCorrelation(mi.adjusted));
    return { mi: mi.adjusted, r, score, share: hY > 0 ? Math.min(1, mi.adjusted / hY) : 0 };
  };

  for (const col of ds.columns) {
    if (col === targetCol) continue;
    const prof = summaryOf.get(col.name)!;
    if (prof.distinct <= 1) {
      flags.push({
        column: col.name,
        kind: "constant",
        reason: prof.distinct === 0 ? "every value is missing" : `one value${prof.nulls ? " (and missing)" : ""}: ${describeValue(prof)}`,
      });
      continue;
    }
    const id = idLike(col, prof);
    if (id) {
      flags.push({ column: col.name, kind: "id_like", reason: id });
      continue;
    }
    if (prof.null_rate > HIGH_NULLS) flags.push({ column: col.name, kind: "high_nulls", reason: `${pct(prof.null_rate)} of values are missing` });

    const xNum = col.type === "number" ? subsetNumbers(col.values, keep) : col.type === "date" ? subsetNumbers(timestamps(col.values), keep) : undefined;
    const x = xNum ? discretizeNumbers(xNum, bins) : discretizeText(keep.map((i) => textAt(col, i)));
    const m = measure(x, xNum);
    if (Math.abs(m.r) > LEAK_CORRELATION || m.share > LEAK_INFORMATION) {
      const why =
        Math.abs(m.r) > LEAK_CORRELATION
          ? `correlation with ${args.target} is ${m.r.toFixed(4)}`
          : `it carries ${pct(m.share)} of ${args.target}'s information (mutual information ÷ entropy)`;
      flags.push({ column: col.name, kind: "leakage", reason: `${why}: it predicts the target almost perfectly; check it is known before the target is` });
      continue;
    }
    scored.push({
      name: col.name,
      type: col.type,
      score: m.score,
      ...(Number.isNaN(m.r) ? {} : { correlation: m.r }),
      mutual_information: m.mi,
      rank: 0,
      values: col.type === "number" ? xNum : undefined,
    });

    if (col.type === "string") {
      transforms.push(
        prof.distinct <= ONE_HOT_MAX
          ? {
              column: col.name,
              transform: "one_hot",
              inputs: [col.name],
              new_columns: (prof.top_values ?? []).map((t) => `${col.name}=${t.value}`),
              reason: `${prof.distinct} categories`,
            }
          : {
              column: col.name,
              transform: "target_encoding",
              inputs: [col.name],
              new_columns: [`${col.name}_encoded`],
              reason: `${prof.distinct} categories: one-hot would add ${prof.distinct} columns; fit the encoding on training folds only (ordinal encoding also suits tree models)`,
            },
      );
    } else if (col.type === "date") {
      const parts = dateParts(col, keep, bins, (codes) => measure(codes, undefined).score);
      if (parts.length) {
        const best = parts.reduce((a, b) => (b.score > a.score ? b : a));
        transforms.push({
          column: col.name,
          transform: "date_parts",
          inputs: [col.name],
          new_columns: parts.map((p) => `${col.name}_${p.part}`),
          reason: `${parts.map((p) => p.part).join(", ")} vary; ${best.part} scores ${best.score.toFixed(3)} against ${args.target}`,
        });
      }
    } else if (col.type === "number" && prof.skewness != null && prof.skewness > SKEWED && prof.min! >= 0) {
      transforms.push({
        column: col.name,
        transform: "log1p",
        inputs: [col.name],
        new_columns: [`log1p_${col.name}`],
        reason: `skewness ${prof.skewness.toFixed(2)} with no negative values`,
      });
    }
  }
  if (task === "regression" && targetProfile.skewness != null && targetProfile.skewness > SKEWED && targetProfile.min! >= 0) {
    transforms.push({
      column: args.target,
      transform: "log1p",
      inputs: [args.target],
      new_columns: [`log1p_${args.target}`],
      reason: `the target's skewness is ${targetProfile.skewness.toFixed(2)} with no negative values: fit log1p(${args.target}) and invert the predictions`,
    });
  }

  scored.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
  transforms.push(...interactions(scored, bins, measure));
  const features = scored.slice(0, args.maxFeatures).map(({ values: _v, ...f }, i) => ({ ...f, rank: i + 1 }));
  return {
    dataset_id: record.dataset_id,
    target: args.target,
    task,
    rows_used: keep.length,
    features,
    transforms,
    flags,
    joins: await findJoinCandidates(ws, record, ds),
  };
}

function taskOf(col: Column, prof: ColumnSummary, asked: "regression" | "classification" | undefined): "regression" | "classification" {
  if (col.type === "date") {
    throw new DwError("INVALID_INPUT", `The target '${col.name}' holds dates; suggest_features predicts numbers or classes.`, {
      hint: "Choose a numeric or categorical target, or derive one (for example days until an event) and load it.",
      details: { field: "target", column: col.name, type: col.type },
    });
  }
  if (prof.distinct <= 1) {
    throw new DwError(
      "DATA_ERROR",
      `The target '${col.name}' ${prof.distinct === 0 ? "has no values" : `has one value (${describeValue(prof)})`}: there is nothing to predict.`,
      {
        hint: "Choose a target that varies.",
        details: { field: "target", column: col.name, distinct: prof.distinct },
      },
    );
  }
  if (asked === "regression" && col.type !== "number") {
    throw new DwError("INVALID_INPUT", `task "regression" needs a numeric target; '${col.name}' holds ${col.type} values.`, {
      hint: `Use task "classification", or a numeric target.`,
      details: { field: "task", column: col.name, type: col.type },
    });
  }
  return asked ?? inferTask(col);
}

/** Why a column looks like an identifier, or undefined. */
function idLike(col: Column, prof: ColumnSummary): string | undefined {
  if (col.type === "string" && prof.count >= 2 && prof.distinct >= 0.95 * prof.count) {
    return `${prof.distinct} distinct values in ${prof.count} rows: an identifier or free text, not a feature (it may be a join key)`;
  }
  if (col.type !== "number" || prof.distinct !== prof.count || prof.count < 3) return undefined;
  let increasing = true;
  let prev = -Infinity;
  for (const v of col.values) {
    if (Number.isNaN(v)) continue;
    if (!Number.isInteger(v)) return undefined;
    if (v <= prev) increasing = false;
    prev = v;
  }
  if (increasing) return `whole numbers increasing row by row, all distinct: a row number or id`;
  if (prof.max! - prof.min! + 1 === prof.count) return `all distinct whole numbers from ${prof.min} to ${prof.max}: a shuffled row number or id`;
  return undefined;
}

const PARTS = ["year", "month", "day_of_week", "day_of_year"] as const;

/** The date parts that vary, each with its score against the target. */
function dateParts(col: TextColumn, keep: number[], bins: number, score: (c: Codes) => number): { part: (typeof PARTS)[number]; score: number }[] {
  const ts = timestamps(col.values);
  const out: { part: (typeof PARTS)[number]; score: number }[] = [];
  for (const part of PARTS) {
    const v = new Float64Array(keep.length);
    for (let i = 0; i < keep.length; i++) v[i] = datePart(ts[keep[i]], part);
    const codes = discretizeNumbers(v, part === "day_of_year" ? Math.max(bins, 12) : 400);
    if (codes.k - (v.some(Number.isNaN) ? 1 : 0) > 1) out.push({ part, score: score(codes) });
  }
  return out;
}

function datePart(t: number, part: (typeof PARTS)[number]): number {
  if (Number.isNaN(t)) return NaN;
  const d = new Date(t);
  switch (part) {
    case "year":
      return d.getUTCFullYear();
    case "month":
      return d.getUTCMonth() + 1;
    case "day_of_week":
      return d.getUTCDay();
    case "day_of_year":
      return Math.floor((t - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
  }
}

/** Products of the top numeric features' pairs that score above both parents: up to three, biggest gain first. */
function interactions(
  scored: { name: string; score: number; values?: Float64Array }[],
  bins: number,
  measure: (x: Codes, xNum: Float64Array) => { score: number },
): FeatureSuggestions["transforms"] {
  const top = scored.filter((f) => f.values).slice(0, 5);
  const found: { a: string; b: string; score: number; gain: number; parents: number }[] = [];
  for (let i = 0; i < top.length; i++) {
    for (let j = i + 1; j < top.length; j++) {
      const a = top[i].values!;
      const b = top[j].values!;
      const p = new Float64Array(a.length);
      for (let k = 0; k < a.length; k++) p[k] = a[k] * b[k];
      const { score } = measure(discretizeNumbers(p, bins), p);
      const parents = Math.max(top[i].score, top[j].score);
      if (score > parents + 0.01) found.push({ a: top[i].name, b: top[j].name, score, gain: score - parents, parents });
    }
  }
  return found
    .sort((x, y) => y.gain - x.gain)
    .slice(0, 3)
    .map((f) => ({
      column: `${f.a}*${f.b}`,
      transform: "interaction" as const,
      inputs: [f.a, f.b],
      new_columns: [`${f.a}*${f.b}`],
      reason: `the product scores ${f.score.toFixed(3)}, above ${f.parents.toFixed(3)} for the better of the two alone`,
    }));
}

function isMissing(col: Column, i: number): boolean {
  return col.type === "number" ? Number.isNaN(col.values[i]) : col.values[i] === null;
}

function textAt(col: Column, i: number): string | null {
  if (col.type === "number") return Number.isNaN(col.values[i]) ? null : String(col.values[i]);
  return col.values[i];
}

function subsetNumbers(values: Float64Array, keep: number[]): Float64Array {
  const out = new Float64Array(keep.length);
  for (let i = 0; i < keep.length; i++) out[i] = values[keep[i]];
  return out;
}

function timestamps(values: Float64Array | (string | null)[]): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    // Timestamps without a zone are read as UTC, so date parts do not depend on the machine's zone.
    out[i] = typeof v === "string" ? Date.parse(/(Z|[+-]\d{2}:?\d{2})$/.test(v) || v.length === 10 ? v : `${v.replace(" ", "T")}Z`) : NaN;
  }
  return out;
}

function describeValue(prof: ColumnSummary): string {
  if (prof.type === "number") return String(prof.min);
  return prof.top_values?.[0] ? `'${prof.top_values[0].value}'` : "none";
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
