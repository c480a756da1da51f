import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readdir, readFile, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext } from "../../../src/tools/createToolContext.js";
import { ingestDataset } from "../../../src/data/ingestDataset.js";
import { cachePath } from "../../../src/data/dataCache.js";
import { writeColumnCache } from "../../../src/data/columnCache.js";
import { forgetReadDatasets } from "../../../src/data/readDataset.js";
import { DwError } from "../../../src/errors/DwError.js";

const tmpFiles = async (dir: string) => readdir(join(dir, ".dw", "cache", "tmp")).catch(() => [] as string[]);

test("load_dataset keeps exactly the bytes it hashed and read; a file that does not parse leaves no copy and no index entry", async () => {
  const tw = await makeTempWorkspace("dw-ingest-");
  try {
    const ctx = await createToolContext({ cwd: tw.dir });
    const text = "a,b\n1,x\n2,y\n";
    await writeFile(join(tw.dir, "t.csv"), text);
    const { record, ds } = await ingestDataset(ctx, { path: "t.csv" });
    assert.equal(record.sha256, createHash("sha256").update(text).digest("hex"));
    assert.equal(await readFile(cachePath(ctx.workspace, record.sha256), "utf8"), text);
    assert.equal(ds.rows, 2);
    assert.deepEqual(await tmpFiles(tw.dir), []);

    await writeFile(join(tw.dir, "bad.csv"), "a,b\n1,2\n3\n");
    await assert.rejects(ingestDataset(ctx, { path: "bad.csv" }), (e: unknown) => e instanceof DwError && e.details?.line === 3);
    assert.deepEqual(await tmpFiles(tw.dir), [], "the staged copy of a file that failed to parse is removed");
    const index = JSON.parse(await readFile(join(tw.dir, ".dw", "cache", "index.json"), "utf8"));
    assert.deepEqual(Object.keys(index), [join(tw.dir, "t.csv")]);
  } finally {
    await tw.cleanup();
  }
});

test("loading an unchanged file again reads the columns kept for its bytes instead of parsing it; a changed file is hashed and parsed again", async () => {
  const tw = await makeTempWorkspace("dw-ingest-");
  try {
    const ctx = await createToolContext({ cwd: tw.dir });
    const file = join(tw.dir, "t.csv");
    await writeFile(file, "a;b\n1;2\n3;4\n");
    const first = await ingestDataset(ctx, { path: "t.csv" });
    assert.equal(first.record.delimiter, ";");
    // Put other numbers in the column cache of those bytes: a second load that parsed the file would not see them.
    const ref = { sha256: first.record.sha256, format: "csv" as const, delimiter: ";" };
    const marked = { rows: 2, columns: [{ name: "a", type: "number" as const, values: Float64Array.of(10, 30), nulls: 0 }, { ...first.ds.columns[1] }] };
    await writeColumnCache(ctx.workspace, ref, marked);
    forgetReadDatasets();
    const again = await ingestDataset(ctx, { path: "t.csv" });
    assert.equal(again.record.sha256, first.record.sha256);
    assert.equal(again.record.delimiter, ";", "the delimiter is sniffed again from the cached copy");
    assert.deepEqual(Array.from(again.ds.columns[0].values as Float64Array), [10, 30]);

    await writeFile(file, "a;b\n5;6\n7;8\n");
    await utimes(file, new Date(), new Date(Date.now() + 5000));
    forgetReadDatasets();
    const changed = await ingestDataset(ctx, { path: "t.csv" });
    assert.notEqual(changed.record.sha256, first.record.sha256);
    assert.deepEqual(Array.from(changed.ds.columns[0].values as Float64Array), [5, 7]);
  } finally {
    await tw.cleanup();
  }
});
