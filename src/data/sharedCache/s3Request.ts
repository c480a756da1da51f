import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import http from "node:http";
import https from "node:https";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { AwsV4Signer } from "aws4fetch";
import { DwError } from "../../errors/DwError.js";
import type { S3Settings } from "./s3Settings.js";
import { DEFAULT_STALL_MS, type TransferWatch, watchTransfer } from "./watchTransfer.js";

const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
/** An S3 error document is small; anything past this is not read. */
const ERROR_BODY_LIMIT = 64 * 1024;

export interface S3RequestOptions {
  /** The object key (under the bucket), or "" for the bucket itself. */
  key: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** Bytes (hashed for the signature), or a file streamed from disk whose sha256 the caller gives as `payloadSha256`. */
  body?: Uint8Array | { file: string; size: number };
  payloadSha256?: string;
  /** What dw was doing, for messages: "read", "store", "look for". */
  action: string;
  /** A shorter stall limit for this request (a HEAD answers at once or not at all). */
  timeoutMs?: number;
  /** A clean-up (aborting a multipart upload) that runs even after the caller's signal aborted. */
  cleanup?: boolean;
}

/** How requests are watched: the stall limit and the caller's interrupt. */
export interface S3Transfer {
  /** Milliseconds without a byte moving either way after which a request fails (DEFAULT_STALL_MS, 60 s). */
  stallMs?: number;
  /** Aborting it stops the request under way with an INTERRUPTED error (a cancelled tool call). */
  signal?: AbortSignal;
}

/** Sends signed requests to one bucket; see `s3Request`. */
export type S3Requester = (method: string, options: S3RequestOptions) => Promise<Response>;

/**
 * A signer-and-sender for one bucket: SigV4 (aws4fetch's signer, region and credentials from
 * `settings`), path-style URLs on custom endpoints and virtual-hosted ones on AWS, and the payload
 * hash in the signature (so the server checks what it received; for a streamed file that is the
 * file's own sha256). A network failure is a CONNECTION_ERROR naming the endpoint; the caller
 * decides what each HTTP status means, with `s3Failure` for the ones it does not expect. Every
 * request, its upload and its answer's body are watched (`watchTransfer`): no byte moving for
 * `transfer.stallMs` is a CONNECTION_ERROR naming the endpoint, and `transfer.signal` stops it
 * (INTERRUPTED).
 */
export function s3Requester(settings: S3Settings, transfer: S3Transfer = {}): S3Requester {
  const stallMs = transfer.stallMs ?? DEFAULT_STALL_MS;
  return async (method, options) => {
    const url = s3Url(settings, options.key, options.query);
    const body = options.body;
    const payload = options.payloadSha256 ?? (body instanceof Uint8Array ? createHash("sha256").update(body).digest("hex") : EMPTY_SHA256);
    const signer = new AwsV4Signer({
      method,
      url: url.toString(),
      headers: { ...options.headers, "x-amz-content-sha256": payload },
      accessKeyId: settings.accessKeyId,
      secretAccessKey: settings.secretAccessKey,
      sessionToken: settings.sessionToken,
      service: "s3",
      region: settings.region,
    });
    const signed = await signer.sign();
    const watch = watchTransfer(
      { endpoint: endpointName(settings), location: settings.location, action: options.action },
      Math.min(stallMs, options.timeoutMs ?? stallMs),
      options.cleanup ? undefined : transfer.signal,
    );
    try {
      const res =
        body && !(body instanceof Uint8Array)
          ? await sendFile(signed.url, method, signed.headers, body, watch)
          : await fetch(signed.url, { method, headers: signed.headers, body, redirect: "manual", signal: watch.signal });
      return watch.response(res);
    } catch (e) {
      watch.done();
      throw watch.failure() ?? unreachable(settings, e, options.action);
    }
  };
}

/**
 * A request whose body is a file, piped from disk into the socket with node:http's backpressure.
 * fetch is not used here: on Node 20 it reads a streamed body ahead of the socket, so uploading
 * 300 MB raised the process's RSS by 330 MB and 600 MB by 580 MB (measured against moto); this path
 * peaked at 109 and 130 MB of RSS in all for the same two files.
 */
function sendFile(url: URL, method: string, headers: Headers, body: { file: string; size: number }, watch: TransferWatch): Promise<Response> {
  return new Promise((resolve, reject) => {
    const outgoing: Record<string, string> = { "content-length": String(body.size) };
    headers.forEach((v, k) => {
      outgoing[k] = v;
    });
    const req = (url.protocol === "https:" ? https : http).request(url, { method, headers: outgoing });
    const stop = () => req.destroy(watch.failure() ?? undefined);
    if (watch.signal.aborted) stop();
    else watch.signal.addEventListener("abort", stop, { once: true });
    let answered = false;
    req.on("response", (res) => {
      answered = true;
      const status = res.statusCode ?? 502;
      const resHeaders = new Headers();
      for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) resHeaders.set(k, Array.isArray(v) ? v.join(", ") : v);
      const nullBody = status === 204 || status === 304;
      if (nullBody) res.resume();
      resolve(new Response(nullBody ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), { status, headers: resHeaders }));
    });
    req.on("error", (e) => {
      if (!answered) reject(new TypeError("fetch failed", { cause: e }));
    });
    // A server that answers early (403) closes the socket mid-body: its answer is what counts.
    // A chunk read from the file is one the socket took (pipeline reads only as it drains).
    const file = createReadStream(body.file);
    file.on("data", () => watch.alive());
    pipeline(file, req).catch((e) => {
      if (!answered) req.destroy(e);
    });
  });
}

/** The endpoint's base URL, as messages show it. */
export function endpointName(settings: S3Settings): string {
  return settings.endpoint ? settings.endpoint.toString().replace(/\/$/, "") : `AWS S3 (${settings.region})`;
}

function s3Url(settings: S3Settings, key: string, query: Record<string, string> = {}): URL {
  const path = key
    .split("/")
    .filter((p) => p !== "")
    .map(encodeURIComponent)
    .join("/");
  let url: URL;
  if (settings.endpoint) {
    url = new URL(settings.endpoint.toString());
    url.pathname = `${settings.endpoint.pathname.replace(/\/+$/, "")}/${settings.bucket}${path ? `/${path}` : ""}`;
  } else if (settings.bucket.includes(".")) {
    // A dotted bucket name does not match the wildcard TLS certificate of virtual-hosted URLs.
    url = new URL(`https://s3.${settings.region}.amazonaws.com/${settings.bucket}${path ? `/${path}` : ""}`);
  } else {
    url = new URL(`https://${settings.bucket}.s3.${settings.region}.amazonaws.com/${path}`);
  }
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return url;
}

/** The `<Code>` of an S3 error document (bounded read), or "" when there is none. */
export async function s3ErrorCode(res: Response): Promise<string> {
  const text = await boundedText(res, ERROR_BODY_LIMIT);
  return /<Code>([A-Za-z0-9.]{1,64})<\/Code>/.exec(text)?.[1] ?? "";
}

/**
 * An S3 answer dw did not expect, as a clear error: refused credentials (403), a missing bucket,
 * a wrong region, or a server fault. Only the error's code is shown, never the server's message
 * (which may echo request details). `code` is the S3 error code when the caller read it already.
 */
export async function s3Failure(settings: S3Settings, res: Response, what: string, action: string, code?: string): Promise<DwError> {
  const errorCode = code ?? (await s3ErrorCode(res));
  const answer = `HTTP ${res.status}${errorCode ? ` ${errorCode}` : ""}`;
  const where = `${endpointName(settings)} for the shared cache ${settings.location}`;
  const details = { shared_cache: settings.location, endpoint: endpointName(settings), status: res.status, ...(errorCode ? { s3_error: errorCode } : {}) };
  if (errorCode === "NoSuchBucket")
    return new DwError(
      "CONFIG_ERROR",
      `The bucket '${settings.bucket}' does not exist at ${endpointName(settings)} (shared cache ${settings.location}, from ${settings.source}).`,
      {
        hint: `Create the bucket (aws s3 mb s3://${settings.bucket}), or point ${settings.source} at the team's bucket${settings.endpointSource ? ` and ${settings.endpointSource} at its endpoint` : ""}.`,
        details,
      },
    );
  if (
    res.status === 301 ||
    errorCode === "PermanentRedirect" ||
    errorCode === "AuthorizationHeaderMalformed" ||
    errorCode === "IllegalLocationConstraintException"
  )
    return new DwError("CONFIG_ERROR", `${where} refused to ${action} ${what}: ${answer}, the bucket is in another region than ${settings.region}.`, {
      hint: "Set AWS_REGION to the bucket's region.",
      details,
    });
  if (res.status === 401 || res.status === 403)
    return new DwError("CONFIG_ERROR", `${where} refused to ${action} ${what}: ${answer}.`, {
      hint: `Check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary credentials) in dw's environment, and that they may read and write ${settings.location}${settings.endpoint ? "" : `; AWS_REGION (now ${settings.region}) must be the bucket's region`}.`,
      details,
    });
  return new DwError("CONNECTION_ERROR", `${where} could not ${action} ${what}: ${answer}.`, {
    hint:
      res.status >= 500
        ? "The server had a fault or is busy: try again in a moment."
        : "Check that the endpoint is an S3-compatible server and that the bucket allows this request.",
    details,
  });
}

function unreachable(settings: S3Settings, e: unknown, action: string): DwError {
  const cause =
    e instanceof Error ? ((e.cause as NodeJS.ErrnoException | undefined)?.code ?? (e.name === "TimeoutError" ? "timed out" : e.message)) : String(e);
  return new DwError("CONNECTION_ERROR", `dw could not reach ${endpointName(settings)} to ${action} the shared cache ${settings.location}: ${cause}.`, {
    hint: settings.endpoint
      ? `Check that the S3 server runs and is reachable from this machine, and ${settings.endpointSource} (the endpoint's URL).`
      : "Check this machine's network connection to AWS, or set AWS_ENDPOINT_URL for an S3-compatible server.",
    details: { shared_cache: settings.location, endpoint: endpointName(settings), error: cause },
  });
}

async function boundedText(res: Response, limit: number): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, limit).toString("utf8");
}
