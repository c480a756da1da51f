import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Workspace } from "../workspace/Workspace.js";
import { isDwError } from "../errors/DwError.js";
import { loadModel, scoreModel, type LoadedModel } from "../models/scoreModel.js";
import { parseScoringRequest } from "./scoringRequest.js";
import { aliasRef, modelVersionRef } from "../registry/refs.js";
import type { Registration } from "../registry/readRegistry.js";
import { DW_VERSION } from "../version.js";

export interface ServerLimits {
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
  /** Most rows scored in one request. */
  maxRows: number;
}

export const DEFAULT_LIMITS: ServerLimits = { maxBodyBytes: 16 * 1024 * 1024, maxRows: 100_000 };

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message ?? body.error ?? status));
  }
}

const badRequest = (message: string) => new HttpError(400, { error_code: "BAD_REQUEST", message });
const notFound = (message: string) => new HttpError(404, { error_code: "RESOURCE_DOES_NOT_EXIST", message });

/**
 * `dw serve`'s HTTP handler: the MLflow scoring protocol for every deployed model, per alias
 * (`/models/<name>@<alias>/invocations`) and per version (`/models/<name>/<version>/invocations`).
 * Models are resolved from the workspace's refs on each request, so moving an alias takes effect
 * at once; parsed models are cached by commit. Errors never carry a stack trace or request data.
 */
export function createServer(ws: Workspace, limits: ServerLimits = DEFAULT_LIMITS): http.Server {
  const models = new Map<string, LoadedModel>();

  async function resolveModel(name: string, selector: { alias: string } | { version: number }): Promise<{ model: LoadedModel; version: number }> {
    const ref = "alias" in selector ? aliasRef(name, selector.alias) : modelVersionRef(name, selector.version);
    const label = "alias" in selector ? `${name}@${selector.alias}` : `${name}/${selector.version}`;
    let oid: string | null = null;
    try {
      oid = await ws.readRef(ref);
    } catch {
      oid = null;
    }
    if (!oid) throw notFound(`No deployed model '${label}'.`);
    let model = models.get(oid);
    if (!model) {
      const text = await ws.readText(oid, "model.json");
      if (text === null) throw notFound(`'${label}' has no model.json.`);
      model = loadModel(text, label);
      models.set(oid, model);
    }
    const reg = await ws.readJson<Registration>(oid, "registration.json");
    return { model, version: reg?.version ?? ("version" in selector ? selector.version : 0) };
  }

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = url.pathname;
    if (req.method === "GET" && (path === "/ping" || path === "/health")) return send(res, 200, "\n", "text/plain");
    if (req.method === "GET" && path === "/version") return send(res, 200, DW_VERSION, "text/plain");
    const m = /^\/models\/([^/@]+)(?:@([^/]+)|\/(\d+))(\/invocations)?$/.exec(path);
    if (!m) throw notFound(`No route for ${req.method} ${path}.`);
    const name = decodeURIComponent(m[1]);
    const selector = m[2] !== undefined ? { alias: decodeURIComponent(m[2]) } : { version: Number(m[3]) };
    if (!m[4]) {
      if (req.method !== "GET") throw new HttpError(405, { error_code: "BAD_REQUEST", message: `Use GET for ${path}.` });
      const { model, version } = await resolveModel(name, selector);
      return sendJson(res, 200, { name, version, ...selector, algorithm: model.json.algorithm, task: model.json.task, signature: model.json.signature, run_id: model.json.run_id });
    }
    if (req.method !== "POST") throw new HttpError(405, { error_code: "BAD_REQUEST", message: `Use POST for ${path}.` });
    checkContentType(req.headers["content-type"]);
    const text = await readBody(req, limits.maxBodyBytes);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (e) {
      throw badRequest(`The request body is not valid JSON (${(e as Error).message.replace(/ in JSON.*$/, "")}).`);
    }
    let input;
    try {
      input = parseScoringRequest(body);
    } catch (e) {
      if (isDwError(e)) throw badRequest(e.message);
      throw e;
    }
    if (input.rows.length > limits.maxRows) throw badRequest(`Too many rows: ${input.rows.length}; at most ${limits.maxRows} per request.`);
    const { model } = await resolveModel(name, selector);
    try {
      return sendJson(res, 200, { predictions: scoreModel(model, input) });
    } catch (e) {
      if (isDwError(e)) throw badRequest(e.message);
      throw e;
    }
  }

  return http.createServer((req, res) => {
    route(req, res).catch((e: unknown) => {
      if (e instanceof HttpError) return sendJson(res, e.status, e.body);
      console.error(`dw serve: ${req.method} ${req.url}: ${e instanceof Error ? e.stack : String(e)}`);
      sendJson(res, 500, { error_code: "INTERNAL_ERROR", message: "The server failed to handle this request; see .dw/server.log." });
    });
  });
}

function checkContentType(header: string | undefined): void {
  const [type, ...params] = (header ?? "").split(";").map((s) => s.trim().toLowerCase());
  if (type !== "application/json") {
    throw new HttpError(415, { error_code: "BAD_REQUEST", message: `Unsupported content type '${type || "(none)"}': this endpoint accepts application/json.` });
  }
  for (const p of params) {
    const [k, v] = p.split("=");
    if (k !== "charset" || (v ?? "").replace(/"/g, "") !== "utf-8") {
      throw new HttpError(415, { error_code: "BAD_REQUEST", message: `Unsupported content type parameter '${p}': only charset=utf-8 is accepted.` });
    }
  }
}

function readBody(req: http.IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > max) {
        reject(new HttpError(413, { error_code: "BAD_REQUEST", message: `The request body is larger than ${max} bytes.` }));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: http.ServerResponse, status: number, body: string, type: string): void {
  res.writeHead(status, { "Content-Type": type, "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  send(res, status, JSON.stringify(body), "application/json");
}

export function boundPort(server: http.Server): number {
  return (server.address() as AddressInfo).port;
}
