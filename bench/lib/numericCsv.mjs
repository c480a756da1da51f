// A seeded numeric CSV for the whole-command benchmark, with the same numbers as raw float64 files
// so that a bare fit can be timed on exactly what the CSV holds.
import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";

/**
 * Answers { csv, x, y, rows, features } for `name` in `dir`, generating the files the first time
 * (seeded: the same bytes on every machine) and reusing them after. Columns x0..x{features-1}, each
 * N(0, 1), and a target y: for "regression" X·β + N(0, 1) with β spread evenly over [-1, 1]; for
 * "classification" 0/1 drawn with probability sigmoid(0.3·X·β). Values have 6 decimals, and the
 * float64 files (X row-major, then y) hold those rounded values, equal to what a CSV parser reads.
 * The CSV is renamed into place last, so a run killed half-way leaves no file that looks complete.
 */
export function numericCsv({ dir, name, rows, features, task, createRandom }) {
  const csv = join(dir, `${name}-${rows}x${features}.csv`);
  const x = `${csv}.X.f64`;
  const y = `${csv}.y.f64`;
  const out = { csv, x, y, rows, features };
  if (existsSync(csv) && existsSync(x) && existsSync(y)) return out;
  mkdirSync(dir, { recursive: true });
  const rand = createRandom(18);
  const normal = () => Math.sqrt(-2 * Math.log(Math.max(rand(), 1e-300))) * Math.cos(2 * Math.PI * rand());
  const beta = Array.from({ length: features }, (_, j) => (features === 1 ? 0 : -1 + (2 * j) / (features - 1)));
  const X = new Float64Array(rows * features);
  const Y = new Float64Array(rows);
  const tmp = `${csv}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w");
  writeSync(fd, `${[...Array.from({ length: features }, (_, j) => `x${j}`), "y"].join(",")}\n`);
  let chunk = [];
  for (let i = 0; i < rows; i++) {
    const fields = [];
    let lin = 0;
    for (let j = 0; j < features; j++) {
      const text = normal().toFixed(6);
      const v = Number(text);
      X[i * features + j] = v;
      lin += beta[j] * v;
      fields.push(text);
    }
    let target;
    if (task === "regression") target = (lin + normal()).toFixed(6);
    else target = rand() < 1 / (1 + Math.exp(-0.3 * lin)) ? "1" : "0";
    Y[i] = Number(target);
    fields.push(target);
    chunk.push(fields.join(","));
    if (chunk.length === 50_000) {
      writeSync(fd, `${chunk.join("\n")}\n`);
      chunk = [];
    }
  }
  if (chunk.length) writeSync(fd, `${chunk.join("\n")}\n`);
  closeSync(fd);
  writeFileSync(x, X);
  writeFileSync(y, Y);
  renameSync(tmp, csv);
  return out;
}
