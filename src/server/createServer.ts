import http from "node:http";
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import type { Workspace } from "../workspace/Workspace.js";
import { createServedModels, type ModelSelector, type ServedModel } from "./servedModels.js";
import { hostAllowed } from "./allowedHosts.js";
import { DW_VERSION } from "../version.js";
import { HttpError, ClientGone, badRequest, notFound, methodNotAllowed } from "./http/HttpError.js";
import type { BodyBudget } from "./http/readBody.js";
import { DEFAULT_LIMITS, type ServerLimits } from "./http/ServerLimits.js";
import { send, sendJson } from "./http/respond.js";
import type { RouteContext, Routes } from "./routes/RouteContext.js";
import { mlflowRoutes } from "./routes/mlflowRoutes.js";
import { statusRoutes } from "./routes/statusRoutes.js";
import { createMetricsRecorder, type ServerMetrics } from "./metrics/createMetricsRecorder.js";
import { oipRoutes } from "./routes/oipRoutes.js";
import { TOKEN_FILE_SHOWN, tokenMatches } from "./token.js";
import { feedbackRoutes } from "./routes/feedbackRoutes.js";
import { createInferenceLog, type InferenceLog } from "../monitoring/log/createInferenceLog.js";
import { isRequestId } from "../monitoring/log/requestId.js";

export { DEFAULT_LIMITS, type ServerLimits } from "./http/ServerLimits.js";

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
  /**
   * Where requests are counted and where /metrics and /status read the whole server's counts; by
   * default a recorder of this server's own. A server of several processes passes each worker's
   * recorder and a `stats` that asks every worker (see src/server/metrics/).
   */
  metrics?: ServerMetrics;
  /**
   * A server of several processes: given how this process loads a version (resolving its pinned
   * path loads and warms it), answers a function that has every other worker load one, resolving
   * once all have. The metadata of a pinned version waits for it, so when deploy_model's check of
   * that URL returns, every worker has the new version loaded and switches at its next request.
   * Absent: this process is the whole server.
   */
  loadEverywhere?: (loadHere: (name: string, version: number) => Promise<unknown>) => (name: string, version: number) => Promise<void>;
  /**
   * The scoring token every request must carry as `Authorization: Bearer <token>` (health routes
   * too); null or absent: none is checked (loopback, by default). See src/server/token.ts.
   */
  token?: string | null;
  /**
   * Where answered requests on alias paths are logged (src/monitoring/log/createInferenceLog.ts);
   * by default one of this server's own. It is closed (its buffer written) when the server closes;
   * a process that exits right after should await that close (see serveWorkerMain.ts).
   */
  inferenceLog?: InferenceLog;
}

export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

const NOT_SERVED = "No deployed model is served at this path. List the endpoints with: %dw get_model_versions --name NAME (or the dw sidebar).";

/** The route groups, tried in order after the health routes (feedback before the MLflow routes, which own every other /models/ path). */
const ROUTES: readonly Routes[] = [feedbackRoutes, mlflowRoutes, oipRoutes];

/**
 * `dw serve`'s HTTP handler: the MLflow scoring protocol for every deployed model, per alias
 * (`/models/<name>@<alias>/invocations`) and per version (`/models/<name>/<version>/invocations`).
 * What may be served is decided by src/server/servedModels.ts. Every answer to a client's mistake
 * is a 4xx whose message names the field or position, never a value, a key or the path the client
 * sent; the work per request is linear in its size.
 *
 * Every answer carries X-Request-Id (the client's, when it sent a valid one); every scoring answer
 * X-Dw-Version too. Requests answered on an alias path after its model was chosen are logged to
 * the process's inference log (src/monitoring/log/createInferenceLog.ts) once the answer is sent;
 * the log is written out when the server closes.
 */
export function createServer(ws: Workspace, options: ServerOptions = {}): http.Server {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const budget: BodyBudget = { used: 0, max: limits.maxBufferedBytes };
  const allowed = options.allowedHosts === undefined ? LOOPBACK_HOSTS : options.allowedHosts;
  const log = options.log ?? ((line: string) => console.error(line));
  const served = createServedModels(ws, (line) => log(`dw serve: ${line}`));
  const loadEverywhere = options.loadEverywhere?.((name, version) => served.resolve(name, { version }));
  const token = options.token ?? null;
  const inferenceLog = options.inferenceLog ?? createInferenceLog(ws, { report: log });
  let inFlight = 0;
  // The response being written for the request a connection carries, so a request timeout can be
  // answered on it (or the connection just closed once an answer has begun).
  const responses = new WeakMap<Duplex, http.ServerResponse>();

  async function resolve(name: string, selector: ModelSelector, key: string): Promise<ServedModel> {
    const r = await served.resolve(name, selector, key);
    if ("model" in r) return r;
    if (r.kind === "invalid") throw badRequest(r.message);
    if (r.kind === "not_found") throw notFound(NOT_SERVED);
    throw new HttpError(503, {
      error_code: "TEMPORARILY_UNAVAILABLE",
      message: "The model at this path cannot be loaded; see .dw/server.log in the workspace.",
    });
  }

  const { recorder, stats } = options.metrics ?? { recorder: createMetricsRecorder() };
  const routeGroups: readonly Routes[] = [...ROUTES, statusRoutes(stats ?? (async () => recorder.snapshot()))];

  async function route(req: http.IncomingMessage, res: http.ServerResponse, ctx: RouteContext): Promise<void> {
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
    // Before anything that depends on the path, so a client without the token learns nothing about routes or models.
    if (token !== null && !tokenMatches(req.headersDistinct.authorization, token)) throw unauthenticated(req.headers.authorization !== undefined);
    const path = pathOf(req.url);
    if (path === "/ping" || path === "/health" || path === "/version") {
      if (req.method !== "GET" && req.method !== "HEAD") throw methodNotAllowed("GET");
      return path === "/version" ? send(res, 200, DW_VERSION, "text/plain") : send(res, 200, "\n", "text/plain");
    }
    // Health routes answer even when the server is full, so a probe does not restart a busy server.
    if (inFlight >= limits.maxInFlight) {
      throw new HttpError(503, {
        error_code: "TEMPORARILY_UNAVAILABLE",
        message: `The server is handling ${limits.maxInFlight} requests already, its limit (dw serve --max-in-flight); retry shortly.`,
      });
    }
    inFlight++;
    res.once("close", () => inFlight--);
    for (const routes of routeGroups) if (await routes(req, res, path, ctx)) return;
    throw notFound("No such route. Scoring paths are /models/<name>@<alias>/invocations and /models/<name>/<version>/invocations.");
  }

  const handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
    // Counted once the answer is written, errors included (a client gone before then is not).
    const arrived = process.hrtime.bigint();
    const sent = req.headers["x-request-id"];
    const requestId = isRequestId(sent) ? sent : randomUUID();
    const abKey = req.headers["x-dw-ab-key"];
    const ctx: RouteContext = {
      limits,
      budget,
      resolve: (name, selector) => resolve(name, selector, ctx.assignmentKey),
      requestId,
      assignmentKey: isRequestId(abKey) ? abKey : requestId,
      inferenceLog,
      servedVersions: served.servedVersions,
      loadEverywhere,
    };
    res.setHeader("X-Request-Id", requestId);
    res.once("finish", () => {
      const done = process.hrtime.bigint();
      recorder.observe(ctx.served, res.statusCode, arrived, done);
      const s = ctx.served;
      if (s?.alias && (ctx.scored || res.statusCode >= 400)) {
        inferenceLog.record({
          name: s.name,
          alias: s.alias,
          version: s.version,
          runId: ctx.scored?.runId ?? "",
          requestId,
          t: Date.now(),
          ms: Number(done - arrived) / 1e6,
          columns: ctx.scored?.columns ?? [],
          ...(ctx.scored && res.statusCode < 400
            ? { input: ctx.scored.input, predictions: ctx.scored.predictions }
            : { err: ctx.errorCode ?? (res.statusCode >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST") }),
        });
      }
    });
    responses.set(req.socket, res);
    res.once("finish", () => responses.get(req.socket) === res && responses.delete(req.socket));
    route(req, res, ctx).catch((e: unknown) => {
      if (e instanceof ClientGone) return;
      if (e instanceof HttpError && typeof e.body.error_code === "string") ctx.errorCode ??= e.body.error_code;
      // Every 503 says when to come back.
      if (e instanceof HttpError) return sendJson(res, e.status, e.body, e.status === 503 ? { "Retry-After": "1", ...e.headers } : e.headers);
      log(`dw serve: ${req.method} ${String(req.url).slice(0, 200)}: ${e instanceof Error ? e.stack : String(e)}`);
      sendJson(res, 500, { error_code: "INTERNAL_ERROR", message: "The server failed to handle this request; see .dw/server.log." });
    });
  };
  // Host headers are checked by route (a JSON 400, not Node's empty one). Node checks the request
  // timeout every connectionsCheckingInterval (30 s by default): a tenth of the limit keeps it close.
  const server = http.createServer(
    {
      requireHostHeader: false,
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: Math.min(limits.requestTimeoutMs, 60_000),
      connectionsCheckingInterval: Math.min(Math.max(Math.floor(limits.requestTimeoutMs / 10), 100), 5_000),
    },
    handle,
  );
  server.maxConnections = limits.maxConnections;
  server.on("close", () => void inferenceLog.close());
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
    if (err.code === "ERR_HTTP_REQUEST_TIMEOUT") {
      // Node's own answer is an empty 408; this one says which limit and closes the connection.
      const body = {
        error_code: "REQUEST_TIMEOUT",
        message: `The request did not arrive whole within ${limits.requestTimeoutMs} ms, the server's limit (dw serve --request-timeout-ms); send it again, faster or smaller.`,
      };
      const res = responses.get(socket);
      if (res?.headersSent) return socket.destroy();
      if (res && !res.destroyed) {
        sendJson(res, 408, body, { Connection: "close" });
        return;
      }
      const text = JSON.stringify(body);
      return socket.end(
        `HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
      );
    }
    socket.end(
      "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n" +
        JSON.stringify({ error_code: "BAD_REQUEST", message: "The request is not valid HTTP." }),
    );
  });
  return server;
}

/**
 * The 401 for a request without the server's token (or with another): it says how to get the
 * token and nothing else, no model, route or version. `invalid_token` when one was sent (RFC 6750).
 */
function unauthenticated(sent: boolean): HttpError {
  return new HttpError(
    401,
    {
      error_code: "UNAUTHENTICATED",
      message: `This dw server answers only requests that carry its scoring token, as the header Authorization: Bearer <token>. The token is in ${TOKEN_FILE_SHOWN} in the server's workspace; ask whoever runs the server for it.`,
    },
    { "WWW-Authenticate": sent ? 'Bearer realm="dw serve", error="invalid_token"' : 'Bearer realm="dw serve"' },
  );
}

/** The request's path, without query; a request target that is not a path is a 400. */
function pathOf(target: string | undefined): string {
  try {
    return new URL(target ?? "/", "http://localhost").pathname;
  } catch {
    throw badRequest("The request target is not a valid URL path.");
  }
}

export function boundPort(server: http.Server): number {
  return (server.address() as AddressInfo).port;
}
