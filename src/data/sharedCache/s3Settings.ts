import type { Workspace } from "../../workspace/Workspace.js";
import { DwError } from "../../errors/DwError.js";
import { sharedCacheSetting, type SharedCacheSetting } from "./sharedCacheSetting.js";

/** What dw needs to reach an S3-compatible bucket: where, as whom, and how to address it. */
export interface S3Settings {
  bucket: string;
  /** Key prefix without leading or trailing '/', possibly empty. */
  prefix: string;
  /** `s3://bucket/prefix`, for messages. */
  location: string;
  /** The endpoint's base URL (custom endpoints are addressed path-style), or null for AWS itself. */
  endpoint: URL | null;
  /** Where the endpoint was configured, for hints. */
  endpointSource: string | null;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** Where the cache URL was configured, for hints. */
  source: string;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const PREFIX = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

/**
 * The S3 settings for a shared cache URL `s3://bucket/prefix`: endpoint from env
 * AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL, else the clone's `git config dw.cacheEndpoint` (absent:
 * AWS itself); region from AWS_REGION or AWS_DEFAULT_REGION (default us-east-1); credentials from
 * AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN. Each problem is a CONFIG_ERROR
 * naming the setting; no credential and no endpoint password is ever put in a message.
 */
export async function s3Settings(ws: Workspace, cache: SharedCacheSetting, env: NodeJS.ProcessEnv): Promise<S3Settings> {
  const { bucket, prefix } = parseS3Url(cache);
  const location = `s3://${bucket}${prefix ? `/${prefix}` : ""}`;
  const endpointSetting: SharedCacheSetting | null = env.AWS_ENDPOINT_URL_S3?.trim()
    ? { value: env.AWS_ENDPOINT_URL_S3.trim(), source: "AWS_ENDPOINT_URL_S3" }
    : env.AWS_ENDPOINT_URL?.trim()
      ? { value: env.AWS_ENDPOINT_URL.trim(), source: "AWS_ENDPOINT_URL" }
      : await sharedCacheSetting(ws, "dw.cacheEndpoint", null, env);
  const endpoint = endpointSetting ? parseEndpoint(endpointSetting) : null;
  const accessKeyId = env.AWS_ACCESS_KEY_ID?.trim();
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY?.trim();
  if (!accessKeyId || !secretAccessKey)
    throw new DwError(
      "CONFIG_ERROR",
      `The shared cache ${location} (${cache.source}) is an S3 bucket, and dw has no credentials for it: ${!accessKeyId ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY"} is not set.`,
      {
        hint: "Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary credentials) in the environment dw runs in; see docs/shared-cache.md.",
        details: { shared_cache: location },
      },
    );
  return {
    bucket,
    prefix,
    location,
    endpoint,
    endpointSource: endpointSetting?.source ?? null,
    region: env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || "us-east-1",
    accessKeyId,
    secretAccessKey,
    sessionToken: env.AWS_SESSION_TOKEN?.trim() || undefined,
    source: cache.source,
  };
}

function parseS3Url({ value, source }: SharedCacheSetting): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]*)\/?(.*)$/i.exec(value);
  const bucket = m?.[1] ?? "";
  const prefix = (m?.[2] ?? "").replace(/\/+$/, "");
  if (!BUCKET.test(bucket) || bucket.includes(".."))
    throw new DwError("CONFIG_ERROR", `${source} names the S3 bucket '${bucket.slice(0, 80)}', which is not a valid bucket name.`, {
      hint: "Write it as s3://bucket/prefix: a bucket name is 3 to 63 lowercase letters, digits, '.' and '-'.",
      details: { setting: source },
    });
  if (prefix && (!PREFIX.test(prefix) || prefix.split("/").some((p) => p === "." || p === "..")))
    throw new DwError("CONFIG_ERROR", `${source} gives the key prefix '${prefix.slice(0, 200)}' in s3://${bucket}/, which dw does not accept.`, {
      hint: "Use a prefix of letters, digits, '.', '_' and '-' in '/'-separated parts (no '.' or '..' part), e.g. s3://bucket/teams/ml/dw-cache.",
      details: { setting: source },
    });
  return { bucket, prefix };
}

function parseEndpoint({ value, source }: SharedCacheSetting): URL {
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || url.search || url.hash)
    throw new DwError("CONFIG_ERROR", `${source} is not an http(s) URL of an S3-compatible endpoint.`, {
      hint: "Set it to the endpoint's base URL, e.g. http://minio.internal:9000 or https://s3.eu-central-1.amazonaws.com.",
      details: { setting: source },
    });
  if (url.username || url.password)
    throw new DwError(
      "CONFIG_ERROR",
      `${source} carries a user name or password in its URL; dw signs S3 requests with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY instead.`,
      {
        hint: "Remove the credentials from the URL and set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment.",
        details: { setting: source },
      },
    );
  return url;
}
