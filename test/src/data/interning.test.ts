import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "../../helpers/tempWorkspace.js";
import { stringCopies } from "../../helpers/heapStrings.js";
import { readCsvFile } from "../../../src/data/readCsv.js";
import { readParquetFile } from "../../../src/data/readParquet.js";
import type { Dataset } from "../../../src/data/Dataset.js";

const python = process.env.DW_PYTHON ?? join(repoRoot, ".venv", "bin", "python");

// How much memory the sharing saves (300,000 rows in a few MB) is bench/memory.mjs's (`npm run bench`).
const ROWS = 3_000;
const LABELS = [
  "a label long enough to be a heap object of its own: 0",
  "a label long enough to be a heap object of its own: 1",
  "a label long enough to be a heap object of its own: 2",
];

/** Each label is on the heap twice at most: once in LABELS above, once in the column (not once per row). */
async function assertShared(ds: Dataset, what: string): Promise<void> {
  const copies = await stringCopies(LABELS);
  for (const [label, n] of copies) assert.ok(n <= 2, `${what}: ${n} copies of '${label}' for ${ROWS} rows`);
  // The column still holds them, so they were counted alive.
  assert.equal(ds.columns[1].values.filter((v) => v === LABELS[0]).length, ROWS / 3);
}

async function inFolder(f: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "dw-intern-"));
  try {
    await f(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// One test per format, so that the other format's dataset is gone when the copies are counted.
test("a repeated text column holds one string per distinct value (CSV)", () =>
  inFolder(async (dir) => {
    const lines = ["i,label"];
    for (let i = 0; i < ROWS; i++) lines.push(`${i},${LABELS[i % 3]}`);
    await writeFile(join(dir, "t.csv"), lines.join("\n") + "\n");
    const csv = (await readCsvFile(join(dir, "t.csv"), "t.csv")).ds;
    assert.equal(csv.columns[1].values[ROWS - 1], LABELS[(ROWS - 1) % 3]);
    await assertShared(csv, "CSV");
  }));

test("a repeated text column holds one string per distinct value (Parquet)", () =>
  inFolder(async (dir) => {
    // Plain encoding (no dictionary pages), so the sharing is dw's, not the file's.
    execFileSync(python, [
      "-c",
      `import sys, pyarrow as pa, pyarrow.parquet as pq
labels = ${JSON.stringify(LABELS)}
pq.write_table(pa.table({"i": list(range(${ROWS})), "label": [labels[i % 3] for i in range(${ROWS})]}), sys.argv[1], use_dictionary=False)`,
      join(dir, "t.parquet"),
    ]);
    const pq = await readParquetFile(join(dir, "t.parquet"), "t.parquet");
    assert.equal(pq.columns[1].values[ROWS - 2], LABELS[(ROWS - 2) % 3]);
    await assertShared(pq, "Parquet");
  }));
