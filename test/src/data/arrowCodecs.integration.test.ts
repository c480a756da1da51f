import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeTempWorkspace, repoRoot } from "../../helpers/tempWorkspace.js";
import { packagesOf, runWithModuleLog } from "../../helpers/moduleLog.js";

// The ZSTD decoder (hyparquet-compressors, with fzstd, hysnappy and the brotli dictionary) is
// loaded when a user's Arrow file is read, not by the column cache, which dw writes uncompressed:
// a CSV's load and every read of cached columns loaded it for nothing. Seen from Node's own module
// loader (a load hook writing each URL to a file), in real `dw` processes; a ZSTD Feather file
// still loads it and reads (readFormats.test.ts checks its values).

const tw = await makeTempWorkspace();
const logs = await mkdtemp(join(tmpdir(), "dw-codecs-"));
after(async () => {
  await tw.cleanup();
  await rm(logs, { recursive: true, force: true });
});

let runs = 0;
/** Runs `dw load_dataset` with this input in the workspace: the rows it registered, the packages and dw's data modules it loaded. */
async function packagesLoaded(input: object): Promise<{ rows: number; packages: Set<string>; ours: string[] }> {
  const r = await runWithModuleLog(join(logs, `modules-${++runs}.txt`), tw.dir, [
    join(repoRoot, "bin", "dw.js"),
    "load_dataset",
    "--json",
    JSON.stringify(input),
  ]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const record = JSON.parse(r.stdout) as { rows: number };
  const urls = r.modules;
  const packages = packagesOf(urls);
  return { rows: record.rows, packages, ours: urls.filter((u) => u.includes("/dist/src/data/")) };
}

test("load_dataset of a CSV, and of the same CSV again from its cached columns, load no ZSTD decoder", async () => {
  const first = await packagesLoaded({ path: "data/seattle-weather.csv", dataset_id: "w" });
  assert.equal(first.rows, 1461);
  // It wrote the column cache, so Arrow was loaded: the check below is about the codec alone.
  assert.ok(first.packages.has("apache-arrow"), "the column cache was written with apache-arrow");
  for (const p of ["hyparquet-compressors", "fzstd", "hysnappy"]) assert.ok(!first.packages.has(p), `a CSV's load loaded ${p}`);
  // The unchanged file's second load reads these columns (ingestDataset.test.ts pins that it does not parse).
  assert.ok(
    (await readdir(join(tw.dir, ".dw", "cache", "columns"))).some((f) => f.endsWith(".check")),
    "the first load wrote the column cache",
  );

  const again = await packagesLoaded({ path: "data/seattle-weather.csv", dataset_id: "w2" });
  assert.equal(again.rows, 1461);
  assert.ok(
    again.ours.some((u) => u.endsWith("/data/columnCache.js")),
    "the second load read the column cache",
  );
  for (const p of ["hyparquet-compressors", "fzstd", "hysnappy"]) assert.ok(!again.packages.has(p), `a read of cached columns loaded ${p}`);
});

test("a Feather file compressed with ZSTD loads the decoder when it is read, and reads", async () => {
  const python = process.env.DW_PYTHON ?? join(repoRoot, ".venv", "bin", "python");
  execFileSync(python, [
    "-c",
    `import sys, pyarrow as pa, pyarrow.feather as f
f.write_feather(pa.table({"x": pa.array([0.5, 1.5, None]), "s": pa.array(["a", "b", "a"])}), sys.argv[1], compression="zstd")`,
    join(tw.dir, "data", "z.feather"),
  ]);
  const z = await packagesLoaded({ path: "data/z.feather", dataset_id: "z" });
  assert.equal(z.rows, 3);
  assert.ok(z.packages.has("hyparquet-compressors"), "reading ZSTD buffers needs the decoder");
});
