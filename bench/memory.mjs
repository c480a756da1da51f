#!/usr/bin/env node
// Memory a loaded dataset keeps: the bound test/src/data/interning.test.ts held as an assertion
// until it moved here (the test checks the sharing itself: one string per distinct value).
//
//   node bench/memory.mjs [--rows N]      (after `npx tsc -p .`; run from the repo root)
//
// A file of N rows (default 300,000) × 2 columns: a number, and a text column of three 55-character
// labels, as CSV and as Parquet without dictionary pages (so the sharing is dw's, not the file's;
// written by pyarrow from $DW_PYTHON, else .venv/bin/python). The heap each read keeps alive after
// garbage collection must stay under 9 MB: the label column's pointers (≤ 8 bytes a row) and the
// number column (8 bytes a row) are 4.8 MB at 300,000 rows, while one string per row would be
// ≥ 300,000 × 70 bytes ≈ 21 MB more.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { reportTargets } from "./lib/targets.mjs";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc");
const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { readCsvFile } = await import(join(repo, "dist", "src", "data", "readCsv.js"));
const { readParquetFile } = await import(join(repo, "dist", "src", "data", "readParquet.js"));
const python = process.env.DW_PYTHON ?? join(repo, ".venv", "bin", "python");

const argRows = process.argv.indexOf("--rows");
const ROWS = argRows > 0 ? Number(process.argv[argRows + 1]) : 300_000;
const LIMIT = 9_000_000 * (ROWS / 300_000);
const LABELS = [0, 1, 2].map((i) => `a label long enough to be a heap object of its own: ${i}`);

/** Heap the dataset keeps alive: read it, collect garbage, compare with before. */
async function retained(read) {
  gc();
  const before = process.memoryUsage().heapUsed;
  const ds = await read();
  gc();
  const bytes = process.memoryUsage().heapUsed - before;
  if (ds.columns[1].values[ROWS - 1] !== LABELS[(ROWS - 1) % 3]) throw new Error("the file was read wrong");
  return bytes;
}

const dir = mkdtempSync(join(tmpdir(), "dw-bench-memory-"));
try {
  const lines = ["i,label"];
  for (let i = 0; i < ROWS; i++) lines.push(`${i},${LABELS[i % 3]}`);
  writeFileSync(join(dir, "t.csv"), lines.join("\n") + "\n");
  execFileSync(python, [
    "-c",
    `import sys, pyarrow as pa, pyarrow.parquet as pq
labels = ${JSON.stringify(LABELS)}
pq.write_table(pa.table({"i": list(range(${ROWS})), "label": [labels[i % 3] for i in range(${ROWS})]}), sys.argv[1], use_dictionary=False)`,
    join(dir, "t.parquet"),
  ]);
  const csv = await retained(async () => (await readCsvFile(join(dir, "t.csv"), "t.csv")).ds);
  const parquet = await retained(() => readParquetFile(join(dir, "t.parquet"), "t.parquet"));
  const mb = (b) => `${(b / 1e6).toFixed(1)} MB`;
  reportTargets("Memory a loaded dataset keeps (bench/memory.mjs)", [
    { what: `CSV, ${ROWS.toLocaleString("en-US")} rows, a repeated text column`, measured: mb(csv), target: `< ${mb(LIMIT)}`, ok: csv < LIMIT },
    { what: `Parquet, ${ROWS.toLocaleString("en-US")} rows, a repeated text column`, measured: mb(parquet), target: `< ${mb(LIMIT)}`, ok: parquet < LIMIT },
  ]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
