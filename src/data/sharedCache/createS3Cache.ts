import { createWriteStream } from "node:fs";
import { stat, unlink } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import type { Workspace } from "../../workspace/Workspace.js";
import { DwError, isDwError } from "../../errors/DwError.js";
import { cachePath, hashFile } from "../dataCache.js";
import type { SharedCache } from "./SharedCache.js";
import type { S3Settings } from "./s3Settings.js";
import { sha256Path } from "./sha256Path.js";
import { installFetched, localTempFile } from "./installFetched.js";
import { requireSourceFile } from "./requireSourceFile.js";
import { s3ErrorCode, s3Failure, s3Requester } from "./s3Request.js";
import { uploadMultipart } from "./uploadMultipart.js";

export interface S3CacheOptions {
  /** Files larger than this go up in parts (default 1 GiB); smaller ones in one streamed PUT. */
  multipartAboveBytes?: number;
  /** The size of each part (default 64 MiB, grown so a file needs at most 10,000 parts). */
  partBytes?: number;
  /** Milliseconds without a byte moving after which a request fails (default 60 s; see `s3Requester`). */
  stallMs?: number;
  /** The caller's interrupt: aborting it stops a transfer under way (INTERRUPTED), nothing partial kept. */
  signal?: AbortSignal;
}

/** HEAD and the bucket check answer at once or not at all; transfers run as long as data flows. */
const QUICK_MS = 30_000;

/**
 * A shared cache in an S3-compatible bucket (AWS S3, MinIO, Ceph, R2, …): objects
 * `<prefix>/sha256/ab/cdef…`. put streams the file in one PUT signed with its sha256 (the server
 * checks the bytes it got), or in parts above `multipartAboveBytes`, so memory stays bounded by
 * one part whatever the file's size; has is a HEAD; get streams the object into a temp file in the
 * local cache, re-hashes it and renames it into place. A 404 is told apart from a missing bucket
 * (checked once), so a wrong bucket is an error, not "not there". Every request fails when no
 * byte moves for `stallMs` (CONNECTION_ERROR naming the endpoint) and stops when `signal` aborts.
 */
export function createS3Cache(ws: Workspace, settings: S3Settings, options: S3CacheOptions = {}): SharedCache {
  const request = s3Requester(settings, { stallMs: options.stallMs, signal: options.signal });
  const multipartAbove = options.multipartAboveBytes ?? 2 ** 30;
  const partBytes = options.partBytes ?? 64 * 2 ** 20;
  const key = (sha256: string) => (settings.prefix ? `${settings.prefix}/` : "") + sha256Path(sha256);
  const name = (sha256: string) => `s3://${settings.bucket}/${key(sha256)}`;
  let bucketChecked = false;

  /** After a 404 without a body: is it the object or the bucket that is missing? */
  async function checkBucket(): Promise<void> {
    if (bucketChecked) return;
    const res = await request("HEAD", { key: "", action: "look for", timeoutMs: QUICK_MS });
    if (res.status === 404) throw await s3Failure(settings, res, `the bucket ${settings.bucket}`, "find", "NoSuchBucket");
    if (!res.ok) throw await s3Failure(settings, res, `the bucket ${settings.bucket}`, "find");
    bucketChecked = true;
  }

  async function has(sha256: string): Promise<boolean> {
    const res = await request("HEAD", { key: key(sha256), action: "look in", timeoutMs: QUICK_MS });
    await res.body?.cancel();
    if (res.ok) return true;
    if (res.status === 404) {
      await checkBucket();
      return false;
    }
    throw await s3Failure(settings, res, name(sha256), "look for");
  }

  return {
    location: settings.location,
    has,
    async put(sha256, file) {
      const target = key(sha256);
      const size = await requireSourceFile(file, sha256, settings.location);
      // The hash is checked before anything is sent: a file stored under a wrong hash would be
      // refused by every clone that fetched it.
      const actual = await hashFile(file);
      if (actual !== sha256)
        throw new DwError(
          "DATA_ERROR",
          `${file} does not hash to sha256 ${sha256.slice(0, 12)} (it hashes to ${actual.slice(0, 12)}), so it was not stored in the shared cache ${settings.location}.`,
          {
            hint: "The local copy is damaged or was changed: load the data again with load_dataset, then push again.",
            details: { file, sha256, actual_sha256: actual, shared_cache: settings.location },
          },
        );
      if (await has(sha256)) return;
      if (size > multipartAbove) {
        await uploadMultipart(request, settings, { key: target, file, size, partBytes: Math.max(partBytes, Math.ceil(size / 10_000)) });
        return;
      }
      const res = await request("PUT", { key: target, body: { file, size }, payloadSha256: sha256, action: "write to" });
      if (!res.ok) throw await s3Failure(settings, res, name(sha256), "store");
      await res.body?.cancel();
    },
    async get(sha256) {
      const target = key(sha256);
      if ((await stat(cachePath(ws, sha256)).catch(() => null))?.isFile()) return true;
      const res = await request("GET", { key: target, action: "read from" });
      if (res.status === 404) {
        const code = await s3ErrorCode(res);
        if (code === "NoSuchBucket") throw await s3Failure(settings, res, name(sha256), "read", code);
        if (code !== "NoSuchKey") await checkBucket();
        return false;
      }
      if (!res.ok || !res.body) throw await s3Failure(settings, res, name(sha256), "read");
      const tmp = await localTempFile(ws, sha256);
      try {
        await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), createWriteStream(tmp));
      } catch (e) {
        await unlink(tmp).catch(() => undefined);
        // A stall or the caller's interrupt says so itself.
        if (isDwError(e)) throw e;
        throw new DwError("CONNECTION_ERROR", `Reading ${name(sha256)} from the shared cache broke off: ${e instanceof Error ? e.message : String(e)}.`, {
          hint: "Run the command again; nothing partial was kept.",
          details: { shared_cache: settings.location, sha256 },
        });
      }
      await installFetched(ws, sha256, tmp, { location: settings.location, entry: name(sha256) });
      return true;
    },
  };
}
