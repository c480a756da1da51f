import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFile, mkdtemp, mkdir, readFile, readdir, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openWorkspace } from "../../../../src/workspace/Workspace.js";
import { cacheFile, cachePath } from "../../../../src/data/dataCache.js";
import { openSharedCache } from "../../../../src/data/sharedCache/openSharedCache.js";
import { isDwError } from "../../../../src/errors/DwError.js";
import { createToolContext } from "../../../../src/tools/createToolContext.js";
import { runTool } from "../../../../src/tools/runTool.js";
import { forgetReadDatasets, readDataset } from "../../../../src/data/readDataset.js";

/** Two clones and one team folder, as two people on one network mount have them. */
async function twoClones() {
  const base = await mkdtemp(join(tmpdir(), "dw-shared-dir-"));
  const team = join(base, "team-cache");
  await mkdir(team);
  const a = await openWorkspace(join(base, "alice"));
  const b = await openWorkspace(join(base, "bob"));
  return { base, team, a, b, cleanup: () => rm(base, { recursive: true, force: true }) };
}

test("a file put from one clone is fetched by another through the team folder (git config dw.cache), verified, in the local cache's layout", async () => {
  const { base, team, a, b, cleanup } = await twoClones();
  try {
    const data = join(a.root, "data.csv");
    await writeFile(data, "x,y\n1,2\n3,4\n");
    const { sha256 } = await a.withLock(() => cacheFile(a, data));
    execFileSync("git", ["-C", a.root, "config", "dw.cache", team]);
    // Relative to the workspace root, as a user in bob/ would type it.
    execFileSync("git", ["-C", b.root, "config", "dw.cache", "../team-cache"]);
    const sa = await openSharedCache(a, {});
    const sb = await openSharedCache(b, {});
    assert.ok(sa && sb);
    assert.equal(sa.location, team);
    assert.equal(sb.location, team);
    assert.equal(await sb.has(sha256), false);
    assert.equal(await sb.get(sha256), false, "nothing to fetch yet");
    await sa.put(sha256, cachePath(a, sha256));
    await sa.put(sha256, cachePath(a, sha256)); // again: a no-op
    assert.equal(await sb.has(sha256), true);
    assert.equal(await readFile(join(team, "sha256", sha256.slice(0, 2), sha256.slice(2)), "utf8"), "x,y\n1,2\n3,4\n");
    assert.deepEqual(
      (await readdir(join(team, "sha256", sha256.slice(0, 2)))).filter((f) => f.endsWith(".tmp")),
      [],
      "no temp file left beside the entry",
    );
    assert.equal(await sb.get(sha256), true);
    assert.equal(await readFile(cachePath(b, sha256), "utf8"), "x,y\n1,2\n3,4\n");
    assert.deepEqual((await readdir(join(b.dwDir, "cache", "sha256", sha256.slice(0, 2)))).sort(), [sha256.slice(2)], "only the file, no temp file");
    void base;
  } finally {
    await cleanup();
  }
});

test("a damaged file in the team folder is refused with a DATA_ERROR naming it, and nothing enters the local cache", async () => {
  const { team, a, b, cleanup } = await twoClones();
  try {
    const data = join(a.root, "d.csv");
    await writeFile(data, "a\n1\n");
    const { sha256 } = await a.withLock(() => cacheFile(a, data));
    const env = { DW_SHARED_CACHE: team };
    await (await openSharedCache(a, env))!.put(sha256, cachePath(a, sha256));
    const entry = join(team, "sha256", sha256.slice(0, 2), sha256.slice(2));
    await writeFile(entry, "a\n2\n");
    const sb = (await openSharedCache(b, env))!;
    await assert.rejects(sb.get(sha256), (e: unknown) => {
      assert.ok(isDwError(e));
      assert.equal(e.code, "DATA_ERROR");
      assert.match(
        e.message,
        new RegExp(`shared cache at ${team.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} holds a damaged file for sha256 ${sha256.slice(0, 12)}`),
      );
      assert.match(e.hint ?? "", /Delete .*sha256\/.* from the shared cache/);
      return true;
    });
    assert.equal(await stat(cachePath(b, sha256)).catch(() => null), null, "not installed");
    assert.deepEqual(await readdir(join(b.dwDir, "cache", "sha256", sha256.slice(0, 2))), [], "and no temp file left");
  } finally {
    await cleanup();
  }
});

test("put refuses a file that does not hash to the name it is stored under", async () => {
  const { team, a, cleanup } = await twoClones();
  try {
    const file = join(a.root, "f.txt");
    await writeFile(file, "hello\n");
    const wrong = "0".repeat(64);
    const sa = (await openSharedCache(a, { DW_SHARED_CACHE: team }))!;
    await assert.rejects(
      sa.put(wrong, file),
      (e: unknown) => isDwError(e) && e.code === "DATA_ERROR" && /does not hash to sha256 000000000000/.test(e.message),
    );
    assert.equal(await sa.has(wrong), false);
    assert.deepEqual(await readdir(join(team, "sha256", "00")), [], "no temp file left");
    await assert.rejects(
      sa.put("1".repeat(64), join(a.root, "gone.bin")),
      (e: unknown) => isDwError(e) && e.code === "NOT_FOUND" && /gone\.bin \(sha256 111111111111\) is not there to store in the shared cache/.test(e.message),
    );
  } finally {
    await cleanup();
  }
});

test("a put sweeps temp files a crashed writer left more than a day ago from the entry's folder, never a live writer's, and a signal stops it", async () => {
  const { team, a, b, cleanup } = await twoClones();
  try {
    const data = join(a.root, "d.csv");
    await writeFile(data, "x\n1\n");
    const { sha256 } = await a.withLock(() => cacheFile(a, data));
    const folder = join(team, "sha256", sha256.slice(0, 2));
    await mkdir(folder, { recursive: true });
    // Temp files as put names them (another machine's pid: the age tells, not the pid), and a file of the user's.
    const other = `${"e".repeat(62)}`;
    const orphan = join(folder, `.${other}.4242.0badc0de.tmp`);
    const live = join(folder, `.${other}.4243.0c0ffee0.tmp`);
    const stranger = join(folder, "notes.tmp");
    for (const f of [orphan, live, stranger]) await writeFile(f, "part");
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    for (const f of [orphan, stranger]) await utimes(f, twoDaysAgo, twoDaysAgo);
    // An orphan in another entry folder waits for a put there.
    const elsewhere = join(team, "sha256", sha256.slice(0, 2) === "ff" ? "fe" : "ff");
    await mkdir(elsewhere);
    const orphanElsewhere = join(elsewhere, `.${other}.4242.0badc0de.tmp`);
    await writeFile(orphanElsewhere, "part");
    await utimes(orphanElsewhere, twoDaysAgo, twoDaysAgo);

    const stopped = (await openSharedCache(a, { DW_SHARED_CACHE: team }, { signal: AbortSignal.abort() }))!;
    await assert.rejects(stopped.put(sha256, cachePath(a, sha256)), (e: unknown) => isDwError(e) && e.code === "INTERRUPTED" && e.message.includes(team));

    const sa = (await openSharedCache(a, { DW_SHARED_CACHE: team }))!;
    await sa.put(sha256, cachePath(a, sha256));
    assert.deepEqual((await readdir(folder)).sort(), [`.${other}.4243.0c0ffee0.tmp`, sha256.slice(2), "notes.tmp"].sort());
    assert.deepEqual(await readdir(elsewhere), [`.${other}.4242.0badc0de.tmp`]);

    const sb = (await openSharedCache(b, { DW_SHARED_CACHE: team }, { signal: AbortSignal.abort() }))!;
    await assert.rejects(sb.get(sha256), (e: unknown) => isDwError(e) && e.code === "INTERRUPTED");
    assert.equal(await stat(cachePath(b, sha256)).catch(() => null), null);
  } finally {
    await cleanup();
  }
});

test("configuration: none gives null, DW_SHARED_CACHE overrides git config (empty turns it off), bad values and hashes are clear errors", async () => {
  const { base, team, a, cleanup } = await twoClones();
  try {
    assert.equal(await openSharedCache(a, {}), null);
    execFileSync("git", ["-C", a.root, "config", "dw.cache", join(base, "elsewhere")]);
    assert.equal((await openSharedCache(a, { DW_SHARED_CACHE: team }))?.location, team);
    assert.equal(await openSharedCache(a, { DW_SHARED_CACHE: "" }), null);
    assert.equal((await openSharedCache(a, { DW_SHARED_CACHE: `file://${team}` }))?.location, team);
    const missing = (await openSharedCache(a, {}))!;
    await assert.rejects(missing.has("a".repeat(64)), (e: unknown) => {
      assert.ok(isDwError(e));
      assert.equal(e.code, "CONFIG_ERROR");
      assert.match(e.message, /The shared cache folder .*elsewhere does not exist/);
      assert.match(e.hint ?? "", /git config dw\.cache/);
      return true;
    });
    await assert.rejects(openSharedCache(a, { DW_SHARED_CACHE: "https://user:secret@example.com/x" }), (e: unknown) => {
      assert.ok(isDwError(e));
      assert.equal(e.code, "CONFIG_ERROR");
      assert.match(e.message, /DW_SHARED_CACHE holds a https: URL that is not a folder or an s3:\/\/ URL/);
      assert.doesNotMatch(JSON.stringify(e.toJSON()), /secret/);
      return true;
    });
    const shared = (await openSharedCache(a, { DW_SHARED_CACHE: team }))!;
    for (const bad of ["../../etc/passwd", "A".repeat(64), "a".repeat(63), `${"a".repeat(62)}/x`])
      await assert.rejects(shared.get(bad), (e: unknown) => isDwError(e) && e.code === "INVALID_INPUT" && /is not a sha256/.test(e.message), bad);
  } finally {
    await cleanup();
  }
});

test("in a clone that lacks the data, readDataset and a SQL query naming the dataset fetch it from the team folder", async () => {
  const { team, a, b, cleanup } = await twoClones();
  const saved = process.env.DW_SHARED_CACHE;
  try {
    const alice = await createToolContext({ cwd: a.root, origin: { via: "test" } });
    await writeFile(join(a.root, "w.csv"), "x,y\n1,2\n3,5\n4,1\n");
    const loaded = await runTool("load_dataset", { path: "w.csv" }, alice);
    assert.ok(loaded.ok, JSON.stringify(loaded));
    const sha256 = (loaded.output as { sha256: string }).sha256;
    // The record reaches bob as a pull brings it; the data stays in alice's cache and the team folder.
    await mkdir(join(b.dwDir, "datasets"), { recursive: true });
    await copyFile(join(a.dwDir, "datasets", "w.json"), join(b.dwDir, "datasets", "w.json"));
    process.env.DW_SHARED_CACHE = team;
    await assert.rejects(readDataset(b, "w"), (e: unknown) => {
      assert.ok(isDwError(e));
      assert.equal(e.code, "NOT_FOUND");
      assert.match(e.message, /no longer in \.dw\/cache, and the shared cache at .*team-cache does not hold it either/);
      assert.equal(e.details?.shared_cache, team);
      return true;
    });
    await (await openSharedCache(a))!.put(sha256, cachePath(a, sha256));

    const bob = await createToolContext({ cwd: b.root, origin: { via: "test" } });
    const summed = await runTool("load_dataset", { query: "SELECT sum(x) AS sx, count(*) AS n FROM w", dataset_id: "w_sum" }, bob);
    assert.ok(summed.ok, JSON.stringify(summed));
    assert.deepEqual((summed.output as { preview: unknown[] }).preview, [{ sx: 8, n: 3 }]);
    assert.equal(await readFile(cachePath(b, sha256), "utf8"), "x,y\n1,2\n3,5\n4,1\n", "the SQL view read the fetched copy");

    await rm(cachePath(b, sha256));
    forgetReadDatasets();
    const { ds } = await readDataset(b, "w");
    assert.equal(ds.rows, 3);
    assert.ok((await stat(cachePath(b, sha256))).isFile(), "fetched again into bob's local cache");
  } finally {
    if (saved === undefined) delete process.env.DW_SHARED_CACHE;
    else process.env.DW_SHARED_CACHE = saved;
    await cleanup();
  }
});
