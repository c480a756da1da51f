import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { AwsV4Signer } from "aws4fetch";
import { repoRoot } from "../../../helpers/tempWorkspace.js";

/** A real S3-compatible server (moto's) with authentication on, a user allowed everything, and one bucket. */
export interface MotoS3 {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  bucket: string;
  stop(): Promise<void>;
}

/**
 * Starts `moto_server` from .venv-bench on a free port with INITIAL_NO_AUTH_ACTION_COUNT=3: the
 * first three requests (create an IAM user, its access key, a policy allowing everything) go
 * unauthenticated, every later one is checked, so wrong credentials are refused as AWS refuses
 * them (InvalidAccessKeyId, SignatureDoesNotMatch). The bucket is made with a signed PUT.
 */
export async function startMotoS3(bucket = "team-cache"): Promise<MotoS3> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const proc: ChildProcess = spawn(join(repoRoot, ".venv-bench", "bin", "moto_server"), ["-H", "127.0.0.1", "-p", String(port)], {
    env: { ...process.env, INITIAL_NO_AUTH_ACTION_COUNT: "3" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  proc.stderr?.on("data", (d) => {
    log = (log + d).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGTERM");
    await exited;
  };
  try {
    await waitUntilUp(endpoint, proc, () => log);
    const boot = { accessKeyId: "bootstrap", secretAccessKey: "bootstrap" };
    await iam(endpoint, boot, { Action: "CreateUser", UserName: "dw" });
    const key = await iam(endpoint, boot, { Action: "CreateAccessKey", UserName: "dw" });
    const accessKeyId = /<AccessKeyId>([^<]+)</.exec(key)?.[1];
    const secretAccessKey = /<SecretAccessKey>([^<]+)</.exec(key)?.[1];
    if (!accessKeyId || !secretAccessKey) throw new Error(`moto gave no access key: ${key.slice(0, 300)}`);
    const policy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
    await iam(endpoint, boot, { Action: "PutUserPolicy", UserName: "dw", PolicyName: "all", PolicyDocument: JSON.stringify(policy) });
    const signed = await new AwsV4Signer({
      method: "PUT",
      url: `${endpoint}/${bucket}`,
      service: "s3",
      region: "us-east-1",
      accessKeyId,
      secretAccessKey,
    }).sign();
    const made = await fetch(signed.url, { method: "PUT", headers: signed.headers });
    if (!made.ok) throw new Error(`creating bucket ${bucket}: HTTP ${made.status} ${await made.text()}`);
    return { endpoint, accessKeyId, secretAccessKey, bucket, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

async function iam(endpoint: string, creds: { accessKeyId: string; secretAccessKey: string }, params: Record<string, string>): Promise<string> {
  const body = new URLSearchParams({ ...params, Version: "2010-05-08" }).toString();
  const signed = await new AwsV4Signer({
    method: "POST",
    url: `${endpoint}/`,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body,
    service: "iam",
    region: "us-east-1",
    ...creds,
  }).sign();
  const res = await fetch(signed.url, { method: "POST", headers: signed.headers, body });
  const text = await res.text();
  if (!res.ok) throw new Error(`moto IAM ${params.Action}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return text;
}

async function waitUntilUp(endpoint: string, proc: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`moto_server exited (${proc.exitCode}): ${log()}`);
    try {
      await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`moto_server did not answer within 30 s: ${log()}`);
}

/** A port nothing listens on now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
