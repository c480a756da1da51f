import { test } from "node:test";
import assert from "node:assert/strict";
import { open, readFile, readdir, rm, stat, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext } from "../../../src/tools/createToolContext.js";
import { runTool } from "../../../src/tools/runTool.js";
import { readCsvFile } from "../../../src/data/readCsv.js";
import { forgetReadDatasets, readDataset } from "../../../src/data/readDataset.js";
import { arrowFileBytes, datasetToArrow, readArrowFile } from "../../../src/data/arrowIpc.js";
import type { Dataset } from "../../../src/data/Dataset.js";
import { columnCachePath, readColumnCache, writeColumnCache } from "../../../src/data/columnCache.js";

/** Every column type with missing values, non-ASCII text, and a text column that is numeric but for one value. */
const CSV = [
  "id,price,ok,city,note,at,qty",
  "1,2.50,true,Oslo,é ü 東京,2024-01-31,7",
  "2,,false,,plain,2024-02-01 10:00:00,n/a",
  "3,-1e3,,Lima,,,9",
  '4,0.1,TRUE,Oslo,"with, comma",2024-02-29T23:59:59Z,10',
].join("\n");

async function columnFiles(dir: string): Promise<string[]> {
  return (await readdir(join(dir, ".dw", "cache", "columns")).catch(() => [] as string[])).filter((f) => f.endsWith(".arrow"));
}

test("a dataset survives the Arrow round trip whole: values, missing values, types, and where a text column stopped being numeric", async () => {
  const ws = await makeTempWorkspace("dw-colcache-");
  try {
    await writeFile(join(ws.dir, "t.csv"), CSV);
    const { ds } = await readCsvFile(join(ws.dir, "t.csv"), "t.csv");
    const qty = ds.columns.find((c) => c.name === "qty");
    assert.ok(qty && qty.type === "string");
    assert.deepEqual(qty.firstNonNumeric, { value: "n/a", line: 3 });
    const bytes = arrowFileBytes(datasetToArrow(ds));
    assert.deepEqual(arrowFileBytes(datasetToArrow(ds)), bytes, "the same data gives the same bytes (kernel data is content-addressed)");
    await writeFile(join(ws.dir, "t.arrow"), bytes);
    const back: Dataset = await readArrowFile(join(ws.dir, "t.arrow"), "t.arrow");
    assert.deepEqual(back, ds);
  } finally {
    await ws.cleanup();
  }
});

test("load_dataset keeps the parsed columns, so a new process reads them instead of the CSV; a damaged copy is read around and rewritten", async () => {
  const ws = await makeTempWorkspace("dw-colcache-");
  try {
    const ctx = await createToolContext({ cwd: ws.dir, workspaceDir: ws.dir });
    const loaded = await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "w" }, ctx);
    assert.ok(loaded.ok, JSON.stringify(loaded));
    const files = await columnFiles(ws.dir);
    assert.equal(files.length, 1, "one column copy after the load");
    const parsed = (await readCsvFile(join(ws.dir, "data", "seattle-weather.csv"), "data/seattle-weather.csv")).ds;

    forgetReadDatasets();
    const fromCopy = (await readDataset(ctx.workspace, "w")).ds;
    assert.deepEqual(fromCopy, parsed, "the kept columns are what parsing gives");

    // A crash cannot leave half a file (it is renamed into place), but a disk can: cut it in half.
    const copy = join(ws.dir, ".dw", "cache", "columns", files[0]);
    await truncate(copy, 1000);
    forgetReadDatasets();
    const reparsed = (await readDataset(ctx.workspace, "w")).ds;
    assert.deepEqual(reparsed, parsed, "a damaged copy is not trusted: the CSV is parsed again");
    forgetReadDatasets();
    assert.deepEqual(await readArrowFile(copy, "copy"), parsed, "and the copy is whole again");
  } finally {
    await ws.cleanup();
  }
});

/** A check file as a dw process of an earlier boot wrote it: the same size and hash, another boot. */
async function fromEarlierBoot(file: string): Promise<void> {
  const check = JSON.parse(await readFile(`${file}.check`, "utf8"));
  await writeFile(`${file}.check`, JSON.stringify({ ...check, boot: "an-earlier-boot" }));
}

test("columns written before a restart are hashed before they are trusted: blocks zeroed by a power loss (length and footer intact) are read around", async () => {
  const ws = await makeTempWorkspace("dw-colcache-");
  try {
    const ctx = await createToolContext({ cwd: ws.dir, workspaceDir: ws.dir });
    const ref = { sha256: "ab".repeat(32), format: "csv" as const, delimiter: "," };
    const rows = 100_000;
    const ds: Dataset = { rows, columns: [{ name: "x", type: "number", values: Float64Array.from({ length: rows }, (_, i) => i + 0.5), nulls: 0 }] };
    await writeColumnCache(ctx.workspace, ref, ds);
    const file = columnCachePath(ctx.workspace, ref);
    const back = await readColumnCache(ctx.workspace, ref, "t");
    assert.deepEqual(back, ds, "written and read back in this boot");
    const x = back?.columns[0];
    assert.ok(
      x?.type === "number" && x.values.buffer instanceof SharedArrayBuffer,
      "a cached number column is a view on shared memory: train_model's statistics thread reads it without a copy",
    );

    // Whole, from an earlier boot: hashed, trusted, and stamped with this boot.
    await fromEarlierBoot(file);
    assert.deepEqual(await readColumnCache(ctx.workspace, ref, "t"), ds);
    const stamped = JSON.parse(await readFile(`${file}.check`, "utf8"));
    assert.notEqual(stamped.boot, "an-earlier-boot", "a file that passed its hash is on disk: later reads of this boot skip it");

    // Blocks that never reached the disk read back as zeros: Arrow would read them as numbers.
    const size = (await stat(file)).size;
    const fh = await open(file, "r+");
    await fh.write(Buffer.alloc(8192), 0, 8192, Math.floor(size / 2 / 4096) * 4096);
    await fh.close();
    assert.equal((await stat(file)).size, size);
    await fromEarlierBoot(file);
    assert.equal(await readColumnCache(ctx.workspace, ref, "t"), null, "not trusted: the caller parses the file again");

    // Columns kept by a dw that wrote no check (or a check lost in a crash) are read again too.
    await writeColumnCache(ctx.workspace, ref, ds);
    await rm(`${file}.check`);
    assert.equal(await readColumnCache(ctx.workspace, ref, "t"), null);
    await writeFile(`${file}.check`, "{");
    assert.equal(await readColumnCache(ctx.workspace, ref, "t"), null, "an unreadable check is no check");
    await writeColumnCache(ctx.workspace, ref, ds);
    await truncate(file, size - 8);
    assert.equal(await readColumnCache(ctx.workspace, ref, "t"), null, "a size other than the one written");
  } finally {
    await ws.cleanup();
  }
});
