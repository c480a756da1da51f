import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { FeatureMatrix } from "../../../src/models/FeatureMatrix.js";
import { createRandom, shuffledIndices } from "../../../src/models/random.js";
import { repoRoot } from "./sklearnReference.js";

/** A numeric table for model tests: rows with a missing value dropped, categoricals one-hot encoded. */
export interface TabularDataset {
  name: string;
  task: "classification" | "regression";
  X: FeatureMatrix;
  /** Class indices 0..K-1 for classification, values for regression. */
  y: Float64Array;
  nClasses: number;
  featureNames: string[];
}

type Row = Record<string, unknown>;

function vega(file: string): string {
  return readFileSync(join(repoRoot, "node_modules", "vega-datasets", "data", file), "utf8");
}

function parseCsv(text: string): Row[] {
  const [head, ...lines] = text.trim().split("\n");
  const cols = head.split(",");
  return lines.map((line) => {
    const cells = line.split(",");
    const row: Row = {};
    cols.forEach((c, j) => {
      const v = cells[j];
      row[c] = v !== "" && Number.isFinite(Number(v)) ? Number(v) : v;
    });
    return row;
  });
}

/**
 * Builds a dataset from records: numeric columns as they are, categorical ones one-hot (levels in
 * sorted order), rows with a missing value in any used column dropped.
 */
function build(name: string, records: Row[], target: string, numeric: string[], categorical: string[], task: "classification" | "regression"): TabularDataset {
  const used = [target, ...numeric, ...categorical];
  const rows = records.filter((r) => used.every((c) => r[c] !== null && r[c] !== undefined && r[c] !== "" && !Number.isNaN(r[c])));
  const levels = categorical.map((c) => [...new Set(rows.map((r) => String(r[c])))].sort());
  const featureNames = [...numeric, ...categorical.flatMap((c, k) => levels[k].map((l) => `${c}=${l}`))];
  const p = featureNames.length;
  const data = new Float64Array(rows.length * p);
  const y = new Float64Array(rows.length);
  const classes = task === "classification" ? [...new Set(rows.map((r) => String(r[target])))].sort() : [];
  rows.forEach((r, i) => {
    let j = 0;
    for (const c of numeric) data[i * p + j++] = Number(r[c]);
    categorical.forEach((c, k) => {
      for (const l of levels[k]) data[i * p + j++] = String(r[c]) === l ? 1 : 0;
    });
    y[i] = task === "classification" ? classes.indexOf(String(r[target])) : Number(r[target]);
  });
  return { name, task, X: { data, rows: rows.length, cols: p }, y, nClasses: classes.length, featureNames };
}

export function penguins(): TabularDataset {
  const recs = JSON.parse(vega("penguins.json")) as Row[];
  return build(
    "penguins",
    recs,
    "Species",
    ["Beak Length (mm)", "Beak Depth (mm)", "Flipper Length (mm)", "Body Mass (g)"],
    ["Island", "Sex"],
    "classification",
  );
}

export function carsOrigin(): TabularDataset {
  const recs = (JSON.parse(vega("cars.json")) as Row[]).map((r) => ({ ...r, year: Number(String(r.Year).slice(0, 4)) }));
  return build(
    "cars-origin",
    recs,
    "Origin",
    ["Miles_per_Gallon", "Cylinders", "Displacement", "Horsepower", "Weight_in_lbs", "Acceleration", "year"],
    [],
    "classification",
  );
}

export function carsMpg(): TabularDataset {
  const recs = (JSON.parse(vega("cars.json")) as Row[]).map((r) => ({ ...r, year: Number(String(r.Year).slice(0, 4)) }));
  return build(
    "cars-mpg",
    recs,
    "Miles_per_Gallon",
    ["Cylinders", "Displacement", "Horsepower", "Weight_in_lbs", "Acceleration", "year"],
    ["Origin"],
    "regression",
  );
}

export function seattleWeather(): TabularDataset {
  const recs = parseCsv(vega("seattle-weather.csv")).map((r) => ({ ...r, month: Number(String(r.date).slice(5, 7)) }));
  return build("seattle-weather", recs, "weather", ["precipitation", "temp_max", "temp_min", "wind", "month"], [], "classification");
}

export function seattleTempMax(): TabularDataset {
  const recs = parseCsv(vega("seattle-weather.csv")).map((r) => ({ ...r, month: Number(String(r.date).slice(5, 7)) }));
  return build("seattle-temp-max", recs, "temp_max", ["precipitation", "temp_min", "wind", "month"], ["weather"], "regression");
}

/**
 * A seeded synthetic table with non-linear structure: `rows` × `cols` standard normal features;
 * regression y = sin(x0)·2 + x1·x2 + |x3| + noise; classification thresholds a similar score into
 * `nClasses` classes (noisy, so no model is perfect).
 */
export function synthetic(rows: number, cols: number, task: "classification" | "regression", seed: number, nClasses = 2): TabularDataset {
  const rand = createRandom(seed);
  const normal = () => {
    const u = Math.max(rand(), 1e-300);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = normal();
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const x = (j: number) => data[i * cols + (j % cols)];
    const s = 2 * Math.sin(x(0)) + x(1) * x(2) + Math.abs(x(3)) + 0.5 * x(4) + 0.5 * normal();
    if (task === "regression") y[i] = s;
    else {
      // Cut points at fixed quantile-ish places of s so the classes are balanced-ish.
      const cuts = nClasses === 2 ? [0.8] : Array.from({ length: nClasses - 1 }, (_, k) => -0.5 + (2.5 * (k + 1)) / nClasses);
      let c = 0;
      while (c < cuts.length && s > cuts[c]) c++;
      y[i] = c;
    }
  }
  return {
    name: `synthetic-${task}-${rows}x${cols}`,
    task,
    X: { data, rows, cols },
    y,
    nClasses: task === "classification" ? nClasses : 0,
    featureNames: Array.from({ length: cols }, (_, j) => `x${j}`),
  };
}

/** A seeded holdout split: 1 marks a test row. */
export function holdout(n: number, testFraction: number, seed: number): Uint8Array {
  const isTest = new Uint8Array(n);
  const order = shuffledIndices(n, seed);
  const nTest = Math.round(n * testFraction);
  for (let i = 0; i < nTest; i++) isTest[order[i]] = 1;
  return isTest;
}

/** The rows of a dataset where isTest equals `which`. */
export function subset(ds: TabularDataset, isTest: Uint8Array, which: 0 | 1): { X: FeatureMatrix; y: Float64Array } {
  const p = ds.X.cols;
  let m = 0;
  for (let i = 0; i < ds.X.rows; i++) if (isTest[i] === which) m++;
  const data = new Float64Array(m * p);
  const y = new Float64Array(m);
  let r = 0;
  for (let i = 0; i < ds.X.rows; i++) {
    if (isTest[i] !== which) continue;
    data.set(ds.X.data.subarray(i * p, i * p + p), r * p);
    y[r++] = ds.y[i];
  }
  return { X: { data, rows: m, cols: p }, y };
}
