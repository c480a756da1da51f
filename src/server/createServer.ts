import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import type { Workspace } from "../workspace/Workspace.js";
import { isDwError } from "../errors/DwError.js";
import { scoreModel } from "../models/scoreModel.js";
import { bindToModel, type ParsedScoringRequest, parseScoringRequest } from "./scoringRequest.js";
import { parseCsvScoringRequest } from "./csvScoringInput.js";
import { createServedModels, type ModelSelector, type ServedModel } from "./servedModels.js";
import { hostAllowed } from "./allowedHosts.js";
import { DW_VERSION } from "../version.js";

export interface ServerLimits {
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
  /** Most rows scored in one request. */
  maxRows: number;
  /** Most bytes of request bodies held at once, over all requests being read (a 503 past it). */
  maxBufferedBytes: number;
  /** Most open connections. */
  maxConnections: number;
  /** Longest a request may take to arrive whole, in milliseconds. */
  requestTimeoutMs: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  maxBodyBytes: 16 * 1024 * 1024,
  maxRows: 100_000,
  maxBufferedBytes: 64 * 1024 * 1024,
  maxConnections: 1024,
  requestTimeoutMs: 60_000,
};

/** Bytes of request bodies the server holds right now, across requests. */
interface BodyBudget {
  used: number;
  max: number;
}

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
  const budget: BodyBudget = { used: 0, max: limits.maxBufferedBytes };
  const allowed = options.allowedHosts === undefined ? LOOPBACK_HOSTS : options.allowedHosts;
  const log = options.log ?? ((line: string) => console.error(line));
  const served = createServedModels(ws, (line) => log(`dw serve: ${line}`));

  async function resolve(name: string, selector: ModelSelector): Promise<ServedModel> {
    const r = await served.resolve(name, selector);
    if ("model" in r) return r;
    if (r.kind === "invalid") throw badRequest(r.message);
    if (r.kind === "not_found") throw notFound(NOT_SERVED);
    throw new HttpError(503, {
      error_code: "TEMPORARILY_UNAVAILABLE",
      message: "The model at this path cannot be loaded; see .dw/server.log in the workspace.",
    });
  }

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const hosts = req.headersDistinct.host ?? [];
    if (hosts.length > 1) throw badRequest("The request has more than one Host header.");
    if (hosts.length === 0 && req.httpVersionMajor === 1 && req.httpVersionMinor >= 1) throw badRequest("An HTTP/1.1 request must have a Host header.");
    // A request target in absolute form (http://host/path) names the host it is for, as the Host header does.
    const target = /^https?:\/\/([^/?#]*)/i.exec(req.url ?? "");
    if (allowed && (!hostAllowed(hosts[0], allowed) || (target && !hostAllowed(target[1].replace(/^.*@/, ""), allowed)))) {
      throw new HttpError(403, {
        error_code: "PERMISSION_DENIED",
        message: "The Host header does not name this server. dw serve answers only requests addressed to its own host names (see dw serve --allowed-hosts).",
      });
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
      return sendJson(res, 200, {
        name,
        version,
        ...("alias" in selector ? { alias: selector.alias } : {}),
        algorithm: model.json.algorithm,
        task: model.json.task,
        signature: model.json.signature,
        run_id: model.json.run_id,
      });
    }
    if (req.method !== "POST") throw methodNotAllowed("POST");
    const format = checkContentType(req.headers["content-type"]);
    const text = await readBody(req, res, limits.maxBodyBytes, budget);
    let input: ParsedScoringRequest;
    try {
      input = format === "csv" ? parseCsvScoringRequest(text, limits.maxRows) : parseScoringRequest(parseJson(text), limits.maxRows);
    } catch (e) {
      if (isDwError(e)) throw badRequest(e.message);
      throw e;
    }
    const { model } = await resolve(name, selector);
    try {
      const bound = bindToModel(
        input,
        model.json.signature.inputs.map((f) => f.name),
      );
      return sendJson(res, 200, { predictions: scoreModel(model, bound) });
    } catch (e) {
      if (isDwError(e)) throw badRequest(e.message);
      throw e;
    }
  }

  const handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
    route(req, res).catch((e: unknown) => {
      if (e instanceof ClientGone) return;
      if (e instanceof HttpError) return sendJson(res, e.status, e.body);
      log(`dw serve: ${req.method} ${String(req.url).slice(0, 200)}: ${e instanceof Error ? e.stack : String(e)}`);
      sendJson(res, 500, { error_code: "INTERNAL_ERROR", message: "The server failed to handle this request; see .dw/server.log." });
    });
  };
  // Host headers are checked by route (a JSON 400, not Node's empty one).
  const server = http.createServer({ requireHostHeader: false, requestTimeout: limits.requestTimeoutMs }, handle);
  server.maxConnections = limits.maxConnections;
  server.on("checkExpectation", (req: http.IncomingMessage, res: http.ServerResponse) => {
    sendJson(res, 417, {
      error_code: "BAD_REQUEST",
      message: "The Expect header asks for something this server does not do; only 100-continue is understood.",
    });
    req.resume();
  });
  server.on("connect", (_req: http.IncomingMessage, socket: Duplex) => {
    const body = JSON.stringify({ error_code: "BAD_REQUEST", message: "dw serve is not a proxy: CONNECT is not accepted." });
    socket.on("error", () => undefined);
    socket.end(
      `HTTP/1.1 405 Method Not Allowed\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  // A client that resets its connection is not dw's fault: no log line, no stack trace.
  server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    if (err.code === "ECONNRESET" || !socket.writable) return socket.destroy();
    socket.end(
      "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n" +
        JSON.stringify({ error_code: "BAD_REQUEST", message: "The request is not valid HTTP." }),
    );
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

/** The JSON request body; a syntax error is a 400 naming the character, never the text. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const at = /position (\d+)/.exec((e as Error).message);
    throw badRequest(`The request body is not valid JSON${at ? ` (at character ${at[1]})` : ""}.`);
  }
}

/**
 * Which parser reads the body: application/json, or text/csv and application/csv (MLflow accepts
 * text/csv only; application/csv is the other name clients send). Only charset=utf-8 may follow.
 */
function checkContentType(header: string | undefined): "json" | "csv" {
  const [type, ...params] = (header ?? "").split(";").map((s) => s.trim().toLowerCase());
  const format = type === "application/json" ? "json" : type === "text/csv" || type === "application/csv" ? "csv" : null;
  if (!format) {
    throw new HttpError(415, {
      error_code: "BAD_REQUEST",
      message: `Unsupported content type${type ? "" : " (none given)"}: this endpoint accepts application/json, text/csv and application/csv.`,
    });
  }
  for (const p of params) {
    const [k, v] = p.split("=");
    if (k !== "charset" || (v ?? "").replace(/"/g, "") !== "utf-8") {
      throw new HttpError(415, { error_code: "BAD_REQUEST", message: "Unsupported content type parameter: only charset=utf-8 is accepted." });
    }
  }
  return format;
}

/** How much of a body over the limit is read and dropped, and for how long, before the connection is closed. */
const DRAIN_BYTES = 64 * 1024 * 1024;
const DRAIN_MS = 10_000;
/** A client that sends nothing for this long while its body is being dropped gets the 413 then. */
const DRAIN_IDLE_MS = 1_000;

/**
 * The body as UTF-8 text, at most `max` bytes. A larger body (by Content-Length, or by count) is
 * read on and dropped, up to DRAIN_BYTES or DRAIN_MS, and then answered 413: a server that answers
 * and closes while the client is still sending makes the client see a reset instead of the answer.
 * Bytes that are not UTF-8, and a byte order mark, are a 400 (as Python's json.loads, which MLflow
 * reads with, refuses them) rather than silently replaced.
 */
function readBody(req: http.IncomingMessage, res: http.ServerResponse, max: number, budget: BodyBudget): Promise<string> {
  const declared = Number(req.headers["content-length"]);
  let held = 0;
  const release = () => {
    budget.used -= held;
    held = 0;
  };
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = Number.isFinite(declared) && declared > max;
    let drained = 0;
    let lastData = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const started = Date.now();
    const tooLarge = (close: boolean) => {
      clearInterval(timer);
      if (close) {
        // Past what we are willing to read, or the client stopped sending: answer and close.
        res.setHeader("Connection", "close");
        req.pause();
      }
      reject(new HttpError(413, { error_code: "BAD_REQUEST", message: `The request body is larger than ${max} bytes; split the request.` }));
    };
    const startDraining = () => {
      over = true;
      chunks.length = 0;
      release();
      timer = setInterval(() => {
        if (Date.now() - lastData > DRAIN_IDLE_MS || Date.now() - started > DRAIN_MS) tooLarge(true);
      }, 200);
      timer.unref();
    };
    if (over) startDraining();
    req.on("data", (c: Buffer) => {
      lastData = Date.now();
      if (over) {
        drained += c.length;
        if (drained > DRAIN_BYTES) tooLarge(true);
        return;
      }
      size += c.length;
      if (size > max) return startDraining();
      if (budget.used + c.length > budget.max) {
        // Many large bodies at once: refuse this one rather than run out of memory.
        over = true;
        chunks.length = 0;
        release();
        res.setHeader("Connection", "close");
        res.setHeader("Retry-After", "1");
        req.pause();
        reject(new HttpError(503, { error_code: "TEMPORARILY_UNAVAILABLE", message: "The server is reading too many request bodies at once; retry shortly." }));
        return;
      }
      budget.used += c.length;
      held += c.length;
      chunks.push(c);
    });
    req.on("end", () => {
      if (over) return tooLarge(false);
      const bytes = Buffer.concat(chunks);
      chunks.length = 0;
      release();
      if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
        return reject(badRequest("The request body starts with a byte order mark; send UTF-8 without one."));
      }
      try {
        resolve(new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes));
      } catch {
        reject(badRequest(`The request body is not valid UTF-8 (at byte ${firstInvalidUtf8(bytes)}).`));
      }
    });
    const gone = () => {
      release();
      clearInterval(timer);
      reject(new ClientGone());
    };
    req.on("aborted", gone);
    req.on("error", gone);
    res.on("close", () => {
      if (!req.complete) gone();
    });
  });
}

/** The offset of the first byte that does not belong to a valid UTF-8 sequence (for the error message). */
function firstInvalidUtf8(bytes: Buffer): number {
  let lo = 0;
  let hi = bytes.length;
  // Binary search on the longest prefix that decodes; a prefix cut inside a valid sequence can
  // fail too, so step back to the sequence start afterwards.
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const ok = (n: number) => {
    try {
      decoder.decode(bytes.subarray(0, n));
      return true;
    } catch {
      return false;
    }
  };
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ok(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
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
