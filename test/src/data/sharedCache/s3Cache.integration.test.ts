import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { copyFile, mkdtemp, mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AwsV4Signer } from "aws4fetch";
import { openWorkspace, type Workspace } from "../../../../src/workspace/Workspace.js";
import { cacheFile, cachePath, hashFile } from "../../../../src/data/dataCache.js";
import { openSharedCache } from "../../../../src/data/sharedCache/openSharedCache.js";
import { createS3Cache } from "../../../../src/data/sharedCache/createS3Cache.js";
import { s3Settings } from "../../../../src/data/sharedCache/s3Settings.js";
import { forgetReadDatasets, readDataset } from "../../../../src/data/readDataset.js";
import { createToolContext } from "../../../../src/tools/createToolContext.js";
import { runTool } from "../../../../src/tools/runTool.js";
import { isDwError, type DwError } from "../../../../src/errors/DwError.js";
import { freePort, startMotoS3, type MotoS3 } from "./motoS3.js";

let s3: MotoS3;
let base: string;
let alice: Workspace;
let bob: Workspace;

before(async () => {
  s3 = await startMotoS3();
  base = await mkdtemp(join(tmpdir(), "dw-shared-s3-"));
  alice = await openWorkspace(join(base, "alice"));
  bob = await openWorkspace(join(base, "bob"));
});

after(async () => {
  await s3?.stop();
  if (base) await rm(base, { recursive: true, force: true });
});

function env(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    DW_SHARED_CACHE: `s3://${s3.bucket}/teams/ml`,
    AWS_ENDPOINT_URL: s3.endpoint,
    AWS_ACCESS_KEY_ID: s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
    ...overrides,
  };
}

/** A file of `bytes` random bytes, cached in alice's workspace. */
async function cachedFile(name: string, bytes: number): Promise<string> {
  const file = join(alice.root, name);
  await writeFile(file, randomBytes(bytes));
  return (await alice.withLock(() => cacheFile(alice, file))).sha256;
}

/** What a signed request straight to moto sees, bypassing dw. */
async function raw(method: string, key: string, body?: Buffer): Promise<Response> {
  const signed = await new AwsV4Signer({
    method,
    url: `${s3.endpoint}/${s3.bucket}/${key}`,
    body,
    service: "s3",
    region: "us-east-1",
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
  }).sign();
  return fetch(signed.url, { method, headers: signed.headers, body });
}

function dwError(check: (e: DwError) => void): (e: unknown) => boolean {
  return (e) => {
    assert.ok(isDwError(e), `expected a DwError, got ${String(e)}`);
    check(e);
    assert.doesNotMatch(JSON.stringify(e.toJSON()), new RegExp(s3.secretAccessKey.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")), "never the secret");
    return true;
  };
}

test("put from one clone, has and get from another, through a real S3 server, at <prefix>/sha256/ab/rest", async () => {
  const sha256 = await cachedFile("small.bin", 1000);
  const a = (await openSharedCache(alice, env()))!;
  const b = (await openSharedCache(bob, env()))!;
  assert.equal(a.location, `s3://${s3.bucket}/teams/ml`);
  assert.equal(await b.has(sha256), false);
  assert.equal(await b.get(sha256), false);
  await a.put(sha256, cachePath(alice, sha256));
  await a.put(sha256, cachePath(alice, sha256)); // already there: a no-op
  assert.equal(await b.has(sha256), true);
  assert.equal((await raw("HEAD", `teams/ml/sha256/${sha256.slice(0, 2)}/${sha256.slice(2)}`)).status, 200);
  assert.equal(await b.get(sha256), true);
  assert.equal(await hashFile(cachePath(bob, sha256)), sha256);
  assert.deepEqual(await readdir(join(bob.dwDir, "cache", "sha256", sha256.slice(0, 2))), [sha256.slice(2)], "no temp file left");
});

test("a file of tens of MB goes up in one streamed PUT and comes back whole; above the multipart size it goes in parts", async () => {
  const big = await cachedFile("big.bin", 40 * 2 ** 20);
  const a = (await openSharedCache(alice, env()))!;
  await a.put(big, cachePath(alice, big));
  const b = (await openSharedCache(bob, env()))!;
  assert.equal(await b.get(big), true);
  assert.equal(await hashFile(cachePath(bob, big)), big);
  assert.equal((await stat(cachePath(bob, big))).size, 40 * 2 ** 20);

  // 12 MiB in 5 MiB parts (S3's smallest part size): 3 parts.
  const parted = await cachedFile("parted.bin", 12 * 2 ** 20 + 17);
  const settings = await s3Settings(alice, { value: `s3://${s3.bucket}/teams/ml`, source: "DW_SHARED_CACHE" }, env());
  await createS3Cache(alice, settings, { multipartAboveBytes: 8 * 2 ** 20, partBytes: 5 * 2 ** 20 }).put(parted, cachePath(alice, parted));
  const head = await raw("HEAD", `teams/ml/sha256/${parted.slice(0, 2)}/${parted.slice(2)}`);
  assert.equal(head.status, 200);
  assert.match(head.headers.get("etag") ?? "", /-3"$/, "a multipart object's ETag ends in its part count");
  assert.equal(await b.get(parted), true);
  assert.equal(await hashFile(cachePath(bob, parted)), parted);
});

test("a damaged object in the bucket is refused with a DATA_ERROR naming it, and nothing enters the local cache", async () => {
  const sha256 = await cachedFile("victim.bin", 5000);
  await (await openSharedCache(alice, env()))!.put(sha256, cachePath(alice, sha256));
  const key = `teams/ml/sha256/${sha256.slice(0, 2)}/${sha256.slice(2)}`;
  assert.equal((await raw("PUT", key, Buffer.from("not the data"))).status, 200);
  const b = (await openSharedCache(bob, env()))!;
  await assert.rejects(
    b.get(sha256),
    dwError((e) => {
      assert.equal(e.code, "DATA_ERROR");
      assert.match(e.message, new RegExp(`shared cache at s3://${s3.bucket}/teams/ml holds a damaged file for sha256 ${sha256.slice(0, 12)}`));
      assert.match(e.hint ?? "", new RegExp(`Delete s3://${s3.bucket}/${key}`));
    }),
  );
  assert.equal(await stat(cachePath(bob, sha256)).catch(() => null), null);
  assert.deepEqual(await readdir(join(bob.dwDir, "cache", "sha256", sha256.slice(0, 2))).catch(() => []), []);
});

test("wrong credentials, a missing bucket, an unreachable endpoint and bad settings are clear errors naming the location and what to do", async () => {
  // In alice's cache, not in bob's: bob's get must ask the server.
  const sha256 = await cachedFile("any.bin", 100);
  const badSecret = (await openSharedCache(bob, env({ AWS_SECRET_ACCESS_KEY: "wrong-secret" })))!;
  for (const op of [() => badSecret.has(sha256), () => badSecret.get(sha256)])
    await assert.rejects(
      op(),
      dwError((e) => {
        assert.equal(e.code, "CONFIG_ERROR");
        assert.match(e.message, new RegExp(`${s3.endpoint} for the shared cache s3://${s3.bucket}/teams/ml refused to .*: HTTP 403`));
        assert.match(e.hint ?? "", /Check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
      }),
    );
  await assert.rejects(badSecret.get(sha256), (e: unknown) => isDwError(e) && /HTTP 403 SignatureDoesNotMatch/.test(e.message));
  const badKey = (await openSharedCache(bob, env({ AWS_ACCESS_KEY_ID: "AKIANOTAREALKEY00000" })))!;
  await assert.rejects(
    badKey.put(sha256, cachePath(alice, sha256)),
    dwError((e) => assert.match(e.message, /HTTP 403/)),
  );
  await assert.rejects(badKey.get(sha256), (e: unknown) => isDwError(e) && /HTTP 403 InvalidAccessKeyId/.test(e.message));

  const noBucket = (await openSharedCache(bob, env({ DW_SHARED_CACHE: "s3://no-such-bucket/x" })))!;
  for (const op of [() => noBucket.has(sha256), () => noBucket.get(sha256), () => noBucket.put(sha256, cachePath(alice, sha256))])
    await assert.rejects(
      op(),
      dwError((e) => {
        assert.equal(e.code, "CONFIG_ERROR");
        assert.match(e.message, new RegExp(`The bucket 'no-such-bucket' does not exist at ${s3.endpoint}`));
        assert.match(e.hint ?? "", /Create the bucket \(aws s3 mb s3:\/\/no-such-bucket\), or point DW_SHARED_CACHE at the team's bucket and AWS_ENDPOINT_URL/);
      }),
    );

  const closed = `http://127.0.0.1:${await freePort()}`;
  const nowhere = (await openSharedCache(bob, env({ AWS_ENDPOINT_URL: closed })))!;
  await assert.rejects(
    nowhere.get(sha256),
    dwError((e) => {
      assert.equal(e.code, "CONNECTION_ERROR");
      assert.match(e.message, new RegExp(`dw could not reach ${closed} to read from the shared cache s3://${s3.bucket}/teams/ml: ECONNREFUSED`));
      assert.match(e.hint ?? "", /AWS_ENDPOINT_URL/);
    }),
  );

  const config = async (overrides: Record<string, string>, pattern: RegExp) =>
    assert.rejects(
      openSharedCache(alice, env(overrides)),
      dwError((e) => {
        assert.equal(e.code, "CONFIG_ERROR");
        assert.match(e.message, pattern);
      }),
    );
  await config({ DW_SHARED_CACHE: "s3://Bad_Bucket/x" }, /DW_SHARED_CACHE names the S3 bucket 'Bad_Bucket', which is not a valid bucket name/);
  await config({ DW_SHARED_CACHE: "s3:///x" }, /not a valid bucket name/);
  await config({ DW_SHARED_CACHE: "s3://bucket/a/../b" }, /gives the key prefix 'a\/\.\.\/b'/);
  await config({ AWS_ENDPOINT_URL: "ftp://host" }, /AWS_ENDPOINT_URL is not an http\(s\) URL/);
  await assert.rejects(
    openSharedCache(bob, env({ AWS_ENDPOINT_URL: "http://user:hunter2@127.0.0.1:1" })),
    dwError((e) => {
      assert.match(e.message, /AWS_ENDPOINT_URL carries a user name or password/);
      assert.doesNotMatch(JSON.stringify(e.toJSON()), /hunter2/);
    }),
  );
  await config({ AWS_SECRET_ACCESS_KEY: "" }, /dw has no credentials for it: AWS_SECRET_ACCESS_KEY is not set/);
});

test("readDataset in a clone that lacks the data fetches it from the shared cache; without one, the error says none is configured", async () => {
  const ctx = await createToolContext({ cwd: alice.root, origin: { via: "test" } });
  await writeFile(join(alice.root, "w.csv"), "x,y\n1,2\n3,5\n");
  const loaded = await runTool("load_dataset", { path: "w.csv" }, ctx);
  assert.ok(loaded.ok, JSON.stringify(loaded));
  const sha256 = (loaded.output as { sha256: string }).sha256;
  // The dataset record reaches bob as a pull would bring it; the data does not.
  await mkdir(join(bob.dwDir, "datasets"), { recursive: true });
  await copyFile(join(alice.dwDir, "datasets", "w.json"), join(bob.dwDir, "datasets", "w.json"));

  const saved = { ...process.env };
  try {
    delete process.env.DW_SHARED_CACHE;
    await assert.rejects(
      readDataset(bob, "w"),
      dwError((e) => {
        assert.equal(e.code, "NOT_FOUND");
        assert.match(e.message, /is no longer in \.dw\/cache, and no shared cache is configured to fetch it from/);
        assert.match(e.hint ?? "", /git config dw\.cache/);
      }),
    );
    Object.assign(process.env, env());
    await assert.rejects(
      readDataset(bob, "w"),
      dwError((e) => {
        assert.equal(e.code, "NOT_FOUND");
        assert.match(e.message, new RegExp(`and the shared cache at s3://${s3.bucket}/teams/ml does not hold it either`));
        assert.match(e.hint ?? "", /dw push/);
      }),
    );
    await (await openSharedCache(alice))!.put(sha256, cachePath(alice, sha256));
    forgetReadDatasets();
    const { ds } = await readDataset(bob, "w");
    assert.deepEqual(
      ds.columns.map((c) => c.name),
      ["x", "y"],
    );
    assert.equal(ds.rows, 2);
    assert.equal(createHash("sha256").update("x,y\n1,2\n3,5\n").digest("hex"), sha256);
    assert.equal(await hashFile(cachePath(bob, sha256)), sha256, "now in bob's local cache");
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
});
