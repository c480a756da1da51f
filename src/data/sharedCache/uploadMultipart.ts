import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import { DwError } from "../../errors/DwError.js";
import type { S3Settings } from "./s3Settings.js";
import { s3ErrorCode, s3Failure, type S3Requester } from "./s3Request.js";

/**
 * Stores a big file as an S3 multipart upload: one part in memory at a time (read, hashed into its
 * signature, sent), then the parts joined by CompleteMultipartUpload. Any failure aborts the upload,
 * so the bucket keeps no orphaned parts from dw. A part that fails can be the whole error: the
 * caller runs the push again (the object is not there until Complete succeeds).
 */
export async function uploadMultipart(
  request: S3Requester,
  settings: S3Settings,
  upload: { key: string; file: string; size: number; partBytes: number },
): Promise<void> {
  const { key, file, size, partBytes } = upload;
  const what = `s3://${settings.bucket}/${key}`;
  const started = await request("POST", { key, query: { uploads: "" }, action: "write to" });
  if (!started.ok) throw await s3Failure(settings, started, what, "start storing");
  const uploadId = /<UploadId>([^<]{1,1024})<\/UploadId>/.exec(await started.text())?.[1];
  if (!uploadId)
    throw new DwError("CONNECTION_ERROR", `The S3 server gave no upload id for ${what}.`, { hint: "Check that the endpoint is an S3-compatible server." });
  const fh = await open(file, "r");
  try {
    const etags: string[] = [];
    const buffer = Buffer.alloc(Math.min(partBytes, size));
    for (let offset = 0, part = 1; offset < size; offset += partBytes, part++) {
      const length = Math.min(partBytes, size - offset);
      let read = 0;
      while (read < length) {
        const { bytesRead } = await fh.read(buffer, read, length - read, offset + read);
        if (bytesRead === 0)
          throw new DwError("DATA_ERROR", `${file} got shorter while dw was storing it in the shared cache.`, { hint: "Run the command again." });
        read += bytesRead;
      }
      const body = buffer.subarray(0, length);
      const res = await request("PUT", {
        key,
        query: { partNumber: String(part), uploadId },
        body,
        payloadSha256: createHash("sha256").update(body).digest("hex"),
        headers: { "content-length": String(length) },
        action: "write to",
      });
      if (!res.ok) throw await s3Failure(settings, res, `${what} (part ${part})`, "store");
      await res.body?.cancel();
      const etag = res.headers.get("etag");
      if (!etag)
        throw new DwError("CONNECTION_ERROR", `The S3 server gave no ETag for part ${part} of ${what}.`, {
          hint: "Check that the endpoint is an S3-compatible server.",
        });
      etags.push(etag);
    }
    const xml = `<CompleteMultipartUpload>${etags.map((e, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${escapeXml(e)}</ETag></Part>`).join("")}</CompleteMultipartUpload>`;
    const done = await request("POST", {
      key,
      query: { uploadId },
      body: Buffer.from(xml),
      headers: { "content-type": "application/xml" },
      action: "write to",
    });
    // CompleteMultipartUpload can fail with 200 and an error document.
    const code = done.ok ? await s3ErrorCode(done) : undefined;
    if (!done.ok || (code && code !== "")) throw await s3Failure(settings, done, what, "finish storing", code);
  } catch (e) {
    // Runs even when the caller's interrupt is why the upload stopped: no orphaned parts.
    const aborted = await request("DELETE", { key, query: { uploadId }, action: "write to", cleanup: true }).catch(() => null);
    await aborted?.body?.cancel();
    throw e;
  } finally {
    await fh.close();
  }
}

function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
