import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { TabularDataset } from "./datasets.js";

const run = promisify(execFile);

/** The repository root, found from this file's place in dist/test/src/models/. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");

/** The Python holding scikit-learn: $DW_PYTHON, else the project's `<repo>/.venv/bin/python`. */
export const python = process.env.DW_PYTHON ?? join(repoRoot, ".venv", "bin", "python");

const script = join(repoRoot, "test", "models", "sklearn_reference.py");

async function callPython<T>(spec: Record<string, unknown>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "dw-sk-"));
  try {
    const specPath = join(dir, "spec.json");
    const outPath = join(dir, "out.json");
    let csvPath: string | undefined;
    if (spec.dataset) {
      csvPath = join(dir, "data.csv");
      await writeFile(csvPath, toCsv(spec.dataset as TabularDataset, spec.isTest as Uint8Array));
    }
    const { dataset: _d, isTest: _t, ...rest } = spec;
    await writeFile(specPath, JSON.stringify({ ...rest, csv: csvPath }));
    await run(python, [script, specPath, outPath], {
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, OMP_NUM_THREADS: process.env.OMP_NUM_THREADS ?? "2" },
    });
    return JSON.parse(await readFile(outPath, "utf8")) as T;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function toCsv(ds: TabularDataset, isTest: Uint8Array): string {
  const { rows: n, cols: p, data } = ds.X;
  const lines: string[] = [[...ds.featureNames.map((_, j) => `f${j}`), "target", "is_test"].join(",")];
  for (let i = 0; i < n; i++) {
    const row: string[] = [];
    for (let j = 0; j < p; j++) row.push(String(data[i * p + j]));
    row.push(String(ds.y[i]), isTest[i] ? "1" : "0");
    lines.push(row.join(","));
  }
  return lines.join("\n") + "\n";
}

export interface SklearnFit {
  pred: number[];
  proba?: number[][];
  score: number;
  log_loss?: number;
  /** Linear models: K × p (1 × p for a regression). */
  coef?: number[][];
  intercept?: number[];
}

/** scikit-learn's estimators by dw's names; "ridge" is Ridge, dw's linear_regression with `l2` (= alpha). */
export type SklearnModel = "linear_regression" | "ridge" | "logistic_regression" | "decision_tree" | "random_forest" | "gradient_boosting";

/** Fits scikit-learn's `model` on the rows where isTest is 0 and predicts the others. */
export function sklearnFit(dataset: TabularDataset, isTest: Uint8Array, model: SklearnModel, params: Record<string, unknown>): Promise<SklearnFit> {
  return callPython<SklearnFit>({ mode: "fit", dataset, isTest, model, task: dataset.task, params });
}

export interface FitJob {
  dataset: TabularDataset;
  isTest: Uint8Array;
  model: SklearnModel;
  params: Record<string, unknown>;
}

/** Several fits in one Python process (scikit-learn's import alone takes a second or two). */
export async function sklearnFitMany(jobs: FitJob[]): Promise<SklearnFit[]> {
  const dir = await mkdtemp(join(tmpdir(), "dw-sk-"));
  try {
    const specs = [];
    for (const [k, job] of jobs.entries()) {
      const csv = join(dir, `data${k}.csv`);
      await writeFile(csv, toCsv(job.dataset, job.isTest));
      specs.push({ mode: "fit", csv, model: job.model, task: job.dataset.task, params: job.params });
    }
    const specPath = join(dir, "spec.json");
    const outPath = join(dir, "out.json");
    await writeFile(specPath, JSON.stringify({ mode: "batch", jobs: specs }));
    await run(python, [script, specPath, outPath], { maxBuffer: 64 * 1024 * 1024 });
    return JSON.parse(await readFile(outPath, "utf8")) as SklearnFit[];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** scikit-learn's metrics of the given predictions, named as dw names them. */
export function sklearnMetrics(spec: {
  task: "classification" | "regression";
  y_true: number[];
  y_pred: number[];
  proba?: number[][] | null;
  n_classes?: number;
}): Promise<Record<string, number | number[][]>> {
  return callPython({ mode: "metrics", ...spec });
}
