import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { repoRoot } from "../../helpers/tempWorkspace.js";
import { readCsvFile } from "../../../src/data/readCsv.js";
import { readParquetFile } from "../../../src/data/readParquet.js";
import type { Dataset } from "../../../src/data/Dataset.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const python = process.env.DW_PYTHON ?? join(repoRoot, ".venv", "bin", "python");

const ROWS = 300_000;
const LABELS = [
  "a label long enough to be a heap object of its own: 0",
  "a label long enough to be a heap object of its own: 1",
  "a label long enough to be a heap object of its own: 2",
];

/** Heap the dataset keeps alive: read it, collect garbage, compare with before. */
async function retained(read: () => Promise<Dataset>): Promise<{ ds: Dataset; bytes: number }> {
  gc();
  const before = process.memoryUsage().heapUsed;
  const ds = await read();
  gc();
  return { ds, bytes: process.memoryUsage().heapUsed - before };
}

// One 55-character string per row would take ≥ 300,000 × 70 bytes ≈ 21 MB; shared, the column is
// its 300,000 pointers (≤ 2.4 MB) and the number column 2.4 MB.
const LIMIT = 9_000_000;

test("a repeated text column holds one string per distinct value (CSV and Parquet)", async () => {
  const dir = await mkdtemp(join(tmpdir(), "dw-intern-"));
  try {
    const lines = ["i,label"];
    for (let i = 0; i < ROWS; i++) lines.push(`${i},${LABELS[i % 3]}`);
    await writeFile(join(dir, "t.csv"), lines.join("\n") + "\n");
    const csv = await retained(async () => (await readCsvFile(join(dir, "t.csv"), "t.csv")).ds);
    assert.equal(csv.ds.columns[1].values[ROWS - 1], LABELS[(ROWS - 1) % 3]);
    assert.ok(csv.bytes < LIMIT, `CSV: ${csv.bytes} bytes retained`);

    // Plain encoding (no dictionary pages), so the sharing is dw's, not the file's.
    execFileSync(python, [
      "-c",
      `import sys, pyarrow as pa, pyarrow.parquet as pq
labels = ${JSON.stringify(LABELS)}
pq.write_table(pa.table({"i": list(range(${ROWS})), "label": [labels[i % 3] for i in range(${ROWS})]}), sys.argv[1], use_dictionary=False)`,
      join(dir, "t.parquet"),
    ]);
    const pq = await retained(() => readParquetFile(join(dir, "t.parquet"), "t.parquet"));
    assert.equal(pq.ds.columns[1].values[ROWS - 2], LABELS[(ROWS - 2) % 3]);
    assert.ok(pq.bytes < LIMIT, `Parquet: ${pq.bytes} bytes retained`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
