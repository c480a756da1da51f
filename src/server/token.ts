import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { chmod, mkdir, open, readFile, rename, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { DwError } from "../errors/DwError.js";
import type { Workspace } from "../workspace/Workspace.js";
import type { ServerInfo } from "./serverInfo.js";

/** The token file's name inside the workspace's `.dw/` (which the workspace keeps out of git). */
export const TOKEN_FILE = "serve-token";

/** Where a client finds the token, relative to the workspace root: what a curl line reads and a 401 names. */
export const TOKEN_FILE_SHOWN = `.dw/${TOKEN_FILE}`;

/** `curl` options that send the token without printing it: the shell reads the file when the line runs. */
export const CURL_AUTH_OPTION = `-H "Authorization: Bearer $(cat ${TOKEN_FILE_SHOWN})"`;

/**
 * What `.dw/server.json` says about tokens besides ServerInfo: `auth: "bearer"` when the server
 * answers only requests that carry the workspace's token; absent when it checks none.
 */
export interface ServerAuth {
  auth?: "bearer";
}

/** 32 random bytes in base64url: 43 characters. A token of another shape (a hand-edited file) is refused. */
const TOKEN_BYTES = 32;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43,512}$/;

/** The token file of a workspace whose `.dw/` folder is `dwDir`. */
export function tokenPath(dwDir: string): string {
  return join(dwDir, TOKEN_FILE);
}

/** The workspace's token, or null when it has none. A file that is not a token is a CONFIG_ERROR naming the way out. */
export async function readToken(dwDir: string): Promise<string | null> {
  const path = tokenPath(dwDir);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
  const token = text.trim();
  if (!TOKEN_SHAPE.test(token)) {
    throw new DwError("CONFIG_ERROR", `${path} does not hold a dw serve token (43 or more characters of A-Z, a-z, 0-9, '-' and '_').`, {
      hint: "Make a new one with: dw serve --rotate-token (clients then need the new token).",
      details: { file: path },
    });
  }
  return token;
}

/**
 * The workspace's scoring token: the one in `.dw/serve-token` (so it survives restarts), or a new
 * one (32 random bytes, base64url) written there atomically with mode 0600 when there is none or
 * `rotate` is set. A file readable by others is narrowed to 0600; `tightened` says so, for the log.
 * Call it under the workspace lock: two servers starting at once must not each make their own.
 */
export async function ensureToken(dwDir: string, options: { rotate?: boolean } = {}): Promise<{ token: string; created: boolean; tightened: boolean }> {
  const existing = options.rotate ? null : await readToken(dwDir);
  if (existing) {
    const path = tokenPath(dwDir);
    const tightened = ((await stat(path)).mode & 0o077) !== 0;
    if (tightened) await chmod(path, 0o600);
    return { token: existing, created: false, tightened };
  }
  const token = randomBytes(TOKEN_BYTES).toString("base64url");
  await writePrivate(tokenPath(dwDir), `${token}\n`);
  return { token, created: true, tightened: false };
}

/**
 * Writes a file only its owner can read, so that readers see the old content or the new: a temp
 * file created with mode 0600 (never wider, not even for a moment, as atomicWrite's 0644 would
 * be), fsynced, renamed over the target.
 */
async function writePrivate(path: string, text: string): Promise<void> {
  await mkdir(join(path, ".."), { recursive: true });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const handle = await open(tmp, "wx", 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
    await handle.close();
    await rename(tmp, path);
  } catch (e) {
    await handle.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}

/**
 * Whether an Authorization header carries `token` as a Bearer credential. Compared in constant
 * time (both sides hashed first, so neither the length nor a common prefix shows in the timing);
 * the scheme is case-insensitive (RFC 7235). More than one Authorization header never matches.
 */
export function tokenMatches(header: string | readonly string[] | undefined, token: string): boolean {
  const value = typeof header === "string" ? header : header?.length === 1 ? header[0] : undefined;
  if (value === undefined) return false;
  const m = /^bearer[ ]+(\S+)[ ]*$/i.exec(value);
  const sent = createHash("sha256")
    .update(m ? m[1] : "")
    .digest();
  const expected = createHash("sha256").update(token).digest();
  return timingSafeEqual(sent, expected) && m !== null;
}

/**
 * The headers a client inside dw sends to the server described by `info`: the Authorization
 * header when that server checks tokens, else none. The token is read from the server's own
 * workspace (`info.workspace`), so callers that hold only the ServerInfo can use it.
 */
export async function authHeadersFor(info: ServerInfo & ServerAuth): Promise<Record<string, string>> {
  if (info.auth !== "bearer") return {};
  const token = await readToken(join(info.workspace, ".dw"));
  if (!token) {
    throw new DwError("CONFIG_ERROR", `The dw server at ${info.url} requires a token, but ${TOKEN_FILE_SHOWN} is missing from ${info.workspace}.`, {
      hint: "Restart the server (dw serve makes a new token), then use the new one.",
    });
  }
  return { Authorization: `Bearer ${token}` };
}

/**
 * The headers to send to the workspace's running `dw serve` (the Authorization header when it
 * checks tokens; empty when it needs none or none is running).
 *
 * @example
 * ```ts
 * const res = await fetch(`${server.url}/status`, { headers: await authHeaders(ws) });
 * ```
 */
export async function authHeaders(ws: Workspace): Promise<Record<string, string>> {
  let info: ServerInfo & ServerAuth;
  try {
    info = JSON.parse(await readFile(join(ws.dwDir, "server.json"), "utf8"));
  } catch {
    return {};
  }
  return authHeadersFor(info);
}
