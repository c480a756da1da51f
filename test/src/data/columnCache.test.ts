import { test } from "node:test";
import assert from "node:assert/strict";
import { readdir, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext } from "../../../src/tools/createToolContext.js";
import { runTool } from "../../../src/tools/runTool.js";
import { readCsvFile } from "../../../src/data/readCsv.js";
import { forgetReadDatasets, readDataset } from "../../../src/data/readDataset.js";
import { arrowFileBytes, datasetToArrow, readArrowFile } from "../../../src/data/arrowIpc.js";
import type { Dataset } from "../../../src/data/Dataset.js";

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
