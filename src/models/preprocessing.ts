import { z } from "zod";
import type { Column } from "../data/Dataset.js";
import type { FeatureMatrix } from "./FeatureMatrix.js";
import type { ValueAccessor } from "./ValueAccessor.js";
import { fillTypedNumbers, type NumberSource } from "./fillTypedNumbers.js";
import { DwError } from "../errors/DwError.js";
import { InteractionStep, applyInteraction, fitInteraction, type InteractionSpec } from "./interactionStep.js";
import { median, medianBySelection } from "../data/statistics.js";
import { allNull, castNumber, isMissing, readCategory, readNumber, standardization, trainingNumbersAnyOrder } from "./pipelineValues.js";
import { numericStepValues, type NumericStepValues } from "./numericStepValues.js";

/** Most categories a text column is one-hot encoded into; rarer ones share an "other" column. */
export const MAX_CATEGORIES = 30;
/** The parts a date step writes, in the order its columns come. */
export const DATE_PARTS = ["year", "month", "day", "day_of_week", "day_of_year"] as const;

export const PipelineStep = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("numeric"),
    column: z.string(),
    /** log(1 + x) before imputation and scaling. */
    log1p: z.boolean().optional(),
    impute: z.number(),
    scale: z.object({ mean: z.number(), std: z.number() }).optional(),
  }),
  z.object({ kind: z.literal("boolean"), column: z.string(), impute: z.number() }),
  z.object({ kind: z.literal("date"), column: z.string(), parts: z.array(z.enum(DATE_PARTS)), impute: z.array(z.number()) }),
  z.object({
    kind: z.literal("onehot"),
    column: z.string(),
    categories: z.array(z.string()),
    other: z.boolean(),
    /** Missing values take this category (impute_mode) instead of going to `other`. */
    impute: z.string().optional(),
    /** The column holds numbers: values are compared as numbers written in canonical form. */
    numeric: z.boolean().optional(),
  }),
  z.object({
    kind: z.literal("ordinal"),
    column: z.string(),
    /** Category k is encoded as k; unseen and missing values as -1 (or the imputed category's code). */
    categories: z.array(z.string()),
    impute: z.string().optional(),
  }),
  InteractionStep,
]);
export type PipelineStep = z.infer<typeof PipelineStep>;

export const Pipeline = z.object({
  steps: z.array(PipelineStep),
  /** Names of the matrix columns the steps produce, in order (e.g. `weather=rain`, `date.month`). */
  feature_names: z.array(z.string()),
});
export type Pipeline = z.infer<typeof Pipeline>;

/**
 * What a named feature pipeline (create_feature_pipeline) asks of fitPipeline: the transforms of
 * each column, by column name, and the interactions to add after the per-column steps.
 */
export interface PipelineSpec {
  transforms: ReadonlyMap<string, readonly string[]>;
  interactions: readonly InteractionSpec[];
}

/**
 * Fits the preprocessing a model applies before its estimator, on the training rows only:
 * numbers imputed with the median (and standardised when `scale`), booleans as 0/1 imputed with
 * the mode, dates decomposed into year, month, day, weekday and day of year, text one-hot encoded
 * (the most frequent categories; unseen, rare and missing values go to an `other` column).
 * A named pipeline's `spec` changes what a column gets and adds interactions, whose inputs must be
 * among `columns`. The fitted pipeline is plain JSON stored in model.json and applied identically
 * when scoring.
 */
export function fitPipeline(columns: Column[], trainRows: ArrayLike<number>, options: { scale: boolean; spec?: PipelineSpec }): Pipeline {
  const { pipeline, imputeLater } = fitPipelineDeferred(columns, trainRows, options);
  imputeLater();
  return pipeline;
}

/**
 * fitPipeline in two parts, so that a fit need not wait for what its training matrix does not
 * read: a numeric column with no missing value has nothing to impute in the training rows, so its
 * median (a selection over every training value, the largest part of fitting the pipeline on a
 * large table) is left NaN in the pipeline returned, and `imputeLater` computes it, the same
 * number fitPipeline gives, while the estimator fits on a worker (src/training/fitOnRows.ts).
 * `deferred` lists those medians one by one, for a caller that has some of them already (see
 * DeferredMedian). The pipeline may build the training rows' matrix at once; it may be used on
 * other rows, or stored, only after imputeLater has run (or every deferred median is filled).
 *
 * @example
 * ```ts
 * const { pipeline, imputeLater } = fitPipelineDeferred(data.features, trainRows, { scale: false });
 * const X = transform(pipeline, trainRows.length, rowAccessor(ds, trainRows));
 * const fitting = fitInWorker("linear_regression", "regression", X, y, 0, {}, 42);
 * imputeLater();
 * await fitting;
 * ```
 */
export function fitPipelineDeferred(
  columns: Column[],
  trainRows: ArrayLike<number>,
  options: {
    scale: boolean;
    spec?: PipelineSpec;
    /**
     * numericStepValues of number columns (by name) with no step asked for, fitted elsewhere on
     * these very rows with this `scale` (the fit worker does while the gates run, see stageMatrix).
     */
    known?: ReadonlyMap<string, NumericStepValues>;
  },
): { pipeline: Pipeline; deferred: readonly DeferredMedian[]; imputeLater: () => void } {
  const deferred: DeferredMedian[] = [];
  const steps: PipelineStep[] = [];
  for (const col of columns) {
    const asked = options.spec?.transforms.get(col.name) ?? [];
    if (asked.includes("drop")) continue;
    if (asked.length) {
      steps.push(fitAskedStep(col, trainRows, asked, options.scale));
      continue;
    }
    if (col.type === "number") {
      // The median does not depend on the values' order, the standardisation's sums do. Selection
      // instead of a sort: the same number (numpy's median), in linear time. `impute` keeps its
      // place among the keys (model.json's bytes) when it is filled in later. Numbers the fit
      // worker fitted already on these rows (options.known) are the same numbers, taken as given.
      const known = options.known?.get(col.name);
      const fitted = known && (known.scale !== undefined) === options.scale ? known : numericStepValues(col, trainRows, options.scale);
      const step: PipelineStep = { kind: "numeric", column: col.name, impute: fitted.impute };
      if (options.scale) step.scale = fitted.scale;
      // Later, the values are read again rather than kept (a copy of the column per column).
      if (col.nulls === 0 && trainRows.length > 0)
        deferred.push({
          column: col.name,
          fill: (known) => {
            step.impute = known ?? medianBySelection(trainingNumbersAnyOrder(col, trainRows));
          },
        });
      steps.push(step);
    } else if (col.type === "boolean") {
      let ones = 0;
      let seen = 0;
      for (let r = 0; r < trainRows.length; r++) {
        const v = col.values[trainRows[r]];
        if (v === null) continue;
        seen++;
        if (v === "true") ones++;
      }
      if (seen === 0) throw allNull(col.name);
      steps.push({ kind: "boolean", column: col.name, impute: ones * 2 >= seen ? 1 : 0 });
    } else if (col.type === "date") {
      const parts: number[][] = DATE_PARTS.map(() => []);
      for (let r = 0; r < trainRows.length; r++) {
        const d = dateParts(col.values[trainRows[r]]);
        if (d) for (let k = 0; k < d.length; k++) parts[k].push(d[k]);
      }
      if (parts[0].length === 0) throw allNull(col.name);
      steps.push({ kind: "date", column: col.name, parts: [...DATE_PARTS], impute: parts.map(median) });
    } else {
      const counts = new Map<string, number>();
      for (let r = 0; r < trainRows.length; r++) {
        const v = col.values[trainRows[r]];
        if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      if (counts.size === 0) throw allNull(col.name);
      const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      const categories = ranked
        .slice(0, MAX_CATEGORIES)
        .map(([c]) => c)
        .sort();
      steps.push({ kind: "onehot", column: col.name, categories, other: true });
    }
  }
  // create_feature_pipeline names interactions a*b after their inputs; a one-hot or date output of
  // that very name would make two matrix columns indistinguishable in model.json.
  const taken = new Set(steps.flatMap(outputNames));
  for (const asked of options.spec?.interactions ?? []) {
    if (taken.has(asked.column)) {
      throw new DwError("INVALID_INPUT", `Interaction '${asked.column}' has the name of a column another step produces.`, {
        hint: "Rename the column that clashes, or leave the interaction out of the pipeline.",
        details: { field: "pipeline", column: asked.column },
      });
    }
    steps.push(fitInteraction(asked, columns, trainRows, options.scale));
    taken.add(asked.column);
  }
  return {
    pipeline: { steps, feature_names: steps.flatMap(outputNames) },
    deferred,
    imputeLater: () => {
      for (const d of deferred) d.fill();
    },
  };
}

/**
 * One median fitPipelineDeferred left for later: `fill()` finds it by selection, `fill(median)`
 * takes the median of the column's values on the same training rows from a caller that has it
 * (train_model's statistics thread reads it off its sort: gates/columnOrderStats.ts), the same bits.
 */
export interface DeferredMedian {
  column: string;
  fill(known?: number): void;
}

/**
 * A step fitted as a named feature pipeline (create_feature_pipeline) asks: impute_median or
 * impute_mode, standardize, log1p, one_hot, ordinal, date_parts. What is not asked keeps the
 * column type's default.
 */
function fitAskedStep(col: Column, trainRows: ArrayLike<number>, asked: readonly string[], scaleByDefault: boolean): PipelineStep {
  const raw: (string | number)[] = [];
  for (let r = 0; r < trainRows.length; r++) {
    const v = col.values[trainRows[r]];
    if (v !== null && !(typeof v === "number" && Number.isNaN(v))) raw.push(v);
  }
  if (raw.length === 0) throw allNull(col.name);
  const modeOf = (xs: (string | number)[]) => {
    const counts = new Map<string | number, number>();
    for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1] || (String(a[0]) < String(b[0]) ? -1 : 1))[0][0];
  };
  const wantsMode = asked.includes("impute_mode");
  if (asked.includes("one_hot") || asked.includes("ordinal")) {
    const numeric = col.type === "number";
    const labels = raw.map((v) => (numeric ? canonicalNumber(v) : String(v)));
    const counts = new Map<string, number>();
    for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
    const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const impute = wantsMode ? ranked[0][0] : undefined;
    if (asked.includes("ordinal"))
      return { kind: "ordinal", column: col.name, categories: ranked.map(([c]) => c).sort(), ...(impute !== undefined ? { impute } : {}) };
    const categories = ranked
      .slice(0, MAX_CATEGORIES)
      .map(([c]) => c)
      .sort();
    return { kind: "onehot", column: col.name, categories, other: true, ...(impute !== undefined ? { impute } : {}), ...(numeric ? { numeric: true } : {}) };
  }
  if (col.type === "date") {
    const parts = raw.map(dateParts).filter((d): d is number[] => d !== null);
    const impute = wantsMode ? dateParts(modeOf(raw))! : DATE_PARTS.map((_, k) => median(parts.map((d) => d[k])));
    return { kind: "date", column: col.name, parts: [...DATE_PARTS], impute };
  }
  if (col.type === "boolean") return { kind: "boolean", column: col.name, impute: modeOf(raw) === "true" ? 1 : 0 };
  if (col.type !== "number") {
    // Text asked only to impute: one-hot it, as by default, with the mode for missing values.
    return fitAskedStep(col, trainRows, [...asked, "one_hot"], scaleByDefault);
  }
  const log1p = asked.includes("log1p");
  const xs = (raw as number[]).map((x) => (log1p ? Math.log1p(x) : x));
  const step: PipelineStep = { kind: "numeric", column: col.name, ...(log1p ? { log1p: true } : {}), impute: wantsMode ? (modeOf(xs) as number) : median(xs) };
  if (asked.includes("standardize") || scaleByDefault) step.scale = standardization(xs);
  return step;
}

/** A number category written in canonical form ("3.0" and 3 are "3"); text that is not a decimal number stays as it is. */
function canonicalNumber(v: unknown): string {
  const x = castNumber(v);
  return Number.isFinite(x) ? String(x) : String(v);
}

/** The matrix columns a step produces, named as feature_names names them. */
export function outputNames(step: PipelineStep): string[] {
  switch (step.kind) {
    case "numeric":
    case "boolean":
      return [step.column];
    case "date":
      return step.parts.map((p) => `${step.column}.${p}`);
    case "onehot":
      return [...step.categories.map((c) => `${step.column}=${c}`), ...(step.other ? [`${step.column}=(other)`] : [])];
    case "ordinal":
      return [`${step.column}#ordinal`];
    case "interaction":
      return [step.column];
  }
}

/**
 * Applies a fitted pipeline to `n` rows, giving the row-major matrix the estimator takes. A value
 * that cannot be read as its column's type (text in a numeric column) is an error naming the row
 * and column; a missing value is imputed.
 */
export function transform(pipeline: Pipeline, n: number, get: ValueAccessor & NumberSource): FeatureMatrix {
  const p = pipeline.feature_names.length;
  const data = new Float64Array(n * p);
  const numeric: { step: PipelineStep; column: string; j: number; impute: number; mean: number; std: number }[] = [];
  let first = 0;
  for (const step of pipeline.steps) {
    if (step.kind === "numeric" && !step.log1p)
      numeric.push({ step, column: step.column, j: first, impute: step.impute, ...(step.scale ?? { mean: 0, std: 1 }) });
    first += outputNames(step).length;
  }
  const typedDone = new Set([...fillTypedNumbers(numeric, n, p, get, data)].map((t) => t.step));
  let j = 0;
  for (const step of pipeline.steps) {
    // An interaction reads its two inputs; its own column is an output, not in the rows.
    if (step.kind === "interaction") {
      applyInteraction(step, n, get, (i, x) => (data[i * p + j] = x));
      j += 1;
      continue;
    }
    if (typedDone.has(step)) {
      j += 1;
      continue;
    }
    const at = get(step.column);
    if (step.kind === "numeric") {
      const { mean, std } = step.scale ?? { mean: 0, std: 1 };
      for (let i = 0; i < n; i++) {
        let x = readNumber(at(i), i, step.column);
        if (step.log1p) {
          if (x <= -1)
            throw new DwError("INVALID_INPUT", `Row ${i}, column '${step.column}': log1p needs values above -1.`, { details: { row: i, column: step.column } });
          x = Math.log1p(x);
        }
        data[i * p + j] = ((Number.isNaN(x) ? step.impute : x) - mean) / std;
      }
      j += 1;
    } else if (step.kind === "boolean") {
      for (let i = 0; i < n; i++) {
        const b = readBoolean(at(i), i, step.column);
        data[i * p + j] = b === null ? step.impute : b ? 1 : 0;
      }
      j += 1;
    } else if (step.kind === "date") {
      for (let i = 0; i < n; i++) {
        const v = at(i);
        const d = dateParts(v);
        if (!d && !isMissing(v))
          throw new DwError("INVALID_INPUT", `Row ${i}, column '${step.column}': expected a date (YYYY-MM-DD or an ISO timestamp).`, {
            details: { row: i, column: step.column },
          });
        for (let k = 0; k < step.parts.length; k++) data[i * p + j + k] = d ? d[k] : step.impute[k];
      }
      j += step.parts.length;
    } else if (step.kind === "ordinal") {
      const index = new Map(step.categories.map((c, k) => [c, k]));
      for (let i = 0; i < n; i++) {
        const label = readCategory(at(i), i, step.column) ?? step.impute;
        data[i * p + j] = label === undefined ? -1 : (index.get(label) ?? -1);
      }
      j += 1;
    } else {
      const index = new Map(step.categories.map((c, k) => [c, k]));
      const width = step.categories.length + (step.other ? 1 : 0);
      for (let i = 0; i < n; i++) {
        const raw = readCategory(at(i), i, step.column);
        const label = raw === undefined ? step.impute : step.numeric ? canonicalNumber(raw) : raw;
        const k = label === undefined ? undefined : index.get(label);
        if (k !== undefined) data[i * p + j + k] = 1;
        else if (step.other) data[i * p + j + step.categories.length] = 1;
      }
      j += width;
    }
  }
  return { data, rows: n, cols: p };
}

type SignatureType = "double" | "boolean" | "datetime" | "string";

/**
 * The raw input columns a pipeline reads, each once, in the order first read, with MLflow
 * signature types; an interaction's inputs are numeric columns (double), whether or not another
 * step reads them too. Serving requires exactly these columns of a request.
 */
export function inputSignature(pipeline: Pipeline): { name: string; type: SignatureType }[] {
  const inputs = new Map<string, SignatureType>();
  for (const s of pipeline.steps) {
    if (s.kind === "interaction") {
      for (const name of s.inputs) if (!inputs.has(name)) inputs.set(name, "double");
      continue;
    }
    inputs.set(
      s.column,
      s.kind === "numeric" || (s.kind === "onehot" && s.numeric) ? "double" : s.kind === "boolean" ? "boolean" : s.kind === "date" ? "datetime" : "string",
    );
  }
  return [...inputs].map(([name, type]) => ({ name, type }));
}

function readBoolean(v: unknown, row: number, column: string): boolean | null {
  if (isMissing(v)) return null;
  if (v === true || v === 1 || v === "true" || v === "True" || v === "TRUE" || v === "1") return true;
  if (v === false || v === 0 || v === "false" || v === "False" || v === "FALSE" || v === "0") return false;
  throw new DwError("INVALID_INPUT", `Row ${row}, column '${column}': expected true or false.`, { details: { row, column } });
}

/** year, month (1–12), day (1–31), day of week (0 = Monday), day of year (1–366), in UTC. */
function dateParts(v: unknown): number[] | null {
  if (typeof v !== "string" || v === "") return null;
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
  if (Number.isNaN(t)) return null;
  const d = new Date(t);
  const year = d.getUTCFullYear();
  const start = Date.UTC(year, 0, 1);
  return [year, d.getUTCMonth() + 1, d.getUTCDate(), (d.getUTCDay() + 6) % 7, Math.floor((t - start) / 86_400_000) + 1];
}
