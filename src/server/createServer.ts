import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Workspace } from "../workspace/Workspace.js";
import { isDwError } from "../errors/DwError.js";
import { scoreModel } from "../models/scoreModel.js";
import { parseScoringRequest } from "./scoringRequest.js";
import { createServedModels, type ModelSelector, type ServedModel } from "./servedModels.js";
import { hostAllowed } from "./allowedHosts.js";
import { DW_VERSION } from "../version.js";

export interface ServerLimits {
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
  /** Most rows scored in one request. */
  maxRows: number;
}

export const DEFAULT_LIMITS: ServerLimits = { maxBodyBytes: 16 * 1024 * 1024, maxRows: 100_000 };

export interface ServerOptions {
  limits?: ServerLimits;
  /**
   * Host names (without port) a request's Host header may carry; null accepts any. The default,
   * for a server bound to loopback, is the loopback names: a web page whose name was re-pointed at
   * 127.0.0.1 (DNS rebinding) then cannot reach the server from a browser.
   */
  allowedHosts?: ReadonlySet<string> | null;
  /** Where the server's own log lines go (one line each). */
  log?: (line: string) => void;
}

export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message ?? body.error ?? status));
  }
}

/** The client went away before the request was read: nothing to answer, and nothing wrong with dw. */
class ClientGone extends Error {}

const badRequest = (message: string) => new HttpError(400, { error_code: "BAD_REQUEST", message });
const notFound = (message: string) => new HttpError(404, { error_code: "RESOURCE_DOES_NOT_EXIST", message });
const NOT_SERVED = "No deployed model is served at this path. List the endpoints with: %dw get_model_versions --name NAME (or the dw sidebar).";

/**
 * `dw serve`'s HTTP handler: the MLflow scoring protocol for every deployed model, per alias
 * (`/models/<name>@<alias>/invocations`) and per version (`/models/<name>/<version>/invocations`).
 * What may be served is decided by src/server/servedModels.ts. Every answer to a client's mistake
 * is a 4xx whose message names the field or position, never a value, a key or the path the client
 * sent; the work per request is linear in its size.
 */
export function createServer(ws: Workspace, options: ServerOptions = {}): http.Server {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const allowed = options.allowedHosts === undefined ? LOOPBACK_HOSTS : options.allowedHosts;
  const log = options.log ?? ((line: string) => console.error(line));
  const served = createServedModels(ws, (line) => log(`dw serve: ${line}`));

  async function resolve(name: string, selector: ModelSelector): Promise<ServedModel> {
    const r = await served.resolve(name, selector);
    if ("model" in r) return r;
    if (r.kind === "invalid") throw badRequest(r.message);
    if (r.kind === "not_found") throw notFound(NOT_SERVED);
    throw new HttpError(503, { error_code: "TEMPORARILY_UNAVAILABLE", message: "The model at this path cannot be loaded; see .dw/server.log in the workspace." });
  }

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (allowed && !hostAllowed(req.headers.host, allowed)) {
      throw new HttpError(403, { error_code: "PERMISSION_DENIED", message: "The Host header does not name this server. dw serve answers only requests addressed to its own host names (see dw serve --allowed-hosts)." });
    }
    const path = pathOf(req.url);
    if (path === "/ping" || path === "/health" || path === "/version") {
      if (req.method !== "GET" && req.method !== "HEAD") throw methodNotAllowed("GET");
      return path === "/version" ? send(res, 200, DW_VERSION, "text/plain") : send(res, 200, "\n", "text/plain");
    }
    const m = /^\/models\/([^/@]+)(?:@([^/]+)|\/([^/]+))(\/invocations)?$/.exec(path);
    if (!m) throw notFound("No such route. Scoring paths are /models/<name>@<alias>/invocations and /models/<name>/<version>/invocations.");
    const name = decodeSegment(m[1], "model name");
    const selector: ModelSelector = m[2] !== undefined ? { alias: decodeSegment(m[2], "alias") } : { version: /^\d{1,15}$/.test(m[3]) ? Number(m[3]) : NaN };
    if (!m[4]) {
      if (req.method !== "GET" && req.method !== "HEAD") throw methodNotAllowed("GET");
      const { version, model } = await resolve(name, selector);
      return sendJson(res, 200, { name, version, ...("alias" in selector ? { alias: selector.alias } : {}), algorithm: model.json.algorithm, task: model.json.task, signature: model.json.signature, run_id: model.json.run_id });
    }
    if (req.method !== "POST") throw methodNotAllowed("POST");
    checkContentType(req.headers["content-type"]);
    const text = await readBody(req, res, limits.maxBodyBytes);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (e) {
      const at = /position (\d+)/.exec((e as Error).message);
      throw badRequest(`The request body is not valid JSON${at ? ` (at character ${at[1]})` : ""}.`);
    }
    let input;
    try {
      input = parseScoringRequest(body, limits.maxRows);
    } catch (e) {
      if (isDwError(e)) throw badRequest(e.message);
      throw e;
    }
    const { model } = await resolve(name, selector);
    try {
      return sendJson(res, 200, { predictions: scoreModel(model, input) });
    } catch (e) {
      if (isDwError(e)) throw badRequest(e.message);
      throw e;
    }
  }

  const server = http.createServer((req, res) => {
    route(req, res).catch((e: unknown) => {
      if (e instanceof ClientGone) return;
      if (e instanceof HttpError) return sendJson(res, e.status, e.body);
      log(`dw serve: ${req.method} ${String(req.url).slice(0, 200)}: ${e instanceof Error ? e.stack : String(e)}`);
      sendJson(res, 500, { error_code: "INTERNAL_ERROR", message: "The server failed to handle this request; see .dw/server.log." });
    });
  });
  // A client that resets its connection is not dw's fault: no log line, no stack trace.
  server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    if (err.code === "ECONNRESET" || !socket.writable) return socket.destroy();
    socket.end("HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n" + JSON.stringify({ error_code: "BAD_REQUEST", message: "The request is not valid HTTP." }));
  });
  return server;
}

function methodNotAllowed(allow: string): HttpError {
  return new HttpError(405, { error_code: "BAD_REQUEST", message: `This path accepts ${allow} only.` });
}

/** The request's path, without query; a request target that is not a path is a 400. */
function pathOf(target: string | undefined): string {
  try {
    return new URL(target ?? "/", "http://localhost").pathname;
  } catch {
    throw badRequest("The request target is not a valid URL path.");
  }
}

function decodeSegment(segment: string, what: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(`The ${what} in the path has malformed percent-encoding.`);
  }
}

function checkContentType(header: string | undefined): void {
  const [type, ...params] = (header ?? "").split(";").map((s) => s.trim().toLowerCase());
  if (type !== "application/json") {
    throw new HttpError(415, { error_code: "BAD_REQUEST", message: `Unsupported content type${type ? "" : " (none given)"}: this endpoint accepts application/json.` });
  }
  for (const p of params) {
    const [k, v] = p.split("=");
    if (k !== "charset" || (v ?? "").replace(/"/g, "") !== "utf-8") {
      throw new HttpError(415, { error_code: "BAD_REQUEST", message: "Unsupported content type parameter: only charset=utf-8 is accepted." });
    }
  }
}

/**
 * The body as text, at most `max` bytes. A larger body is answered 413 as soon as it is known to
 * be too large (from Content-Length, or when the count passes the limit), and the rest of it is
 * read and dropped rather than the connection reset, so the client sees the answer.
 */
function readBody(req: http.IncomingMessage, res: http.ServerResponse, max: number): Promise<string> {
  const tooLarge = () => new HttpError(413, { error_code: "BAD_REQUEST", message: `The request body is larger than ${max} bytes; split the request.` });
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > max) {
    req.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > max) {
        over = true;
        chunks.length = 0;
        reject(tooLarge());
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("aborted", () => reject(new ClientGone()));
    req.on("error", () => reject(new ClientGone()));
    res.on("close", () => {
      if (!req.complete) reject(new ClientGone());
    });
  });
}

function send(res: http.ServerResponse, status: number, body: string, type: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { "Content-Type": type, "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  send(res, status, JSON.stringify(body), "application/json");
}

export function boundPort(server: http.Server): number {
  return (server.address() as AddressInfo).port;
}
