import { DwError } from "../../errors/DwError.js";
import { MlflowRefusal } from "./MlflowRefusal.js";
import { trackingAuth, trackingUrl } from "./trackingUrl.js";

/** A request to the REST API under /api/2.0/mlflow: GET takes its fields as the query, the rest as a JSON body. */
export type MlflowMethod = "GET" | "POST" | "PATCH" | "DELETE";

/**
 * The REST API of one MLflow tracking server, as MLflow's own clients reach it: JSON under
 * /api/2.0/mlflow and artifact uploads through the server's proxy under
 * /api/2.0/mlflow-artifacts/artifacts. Every request is bounded in time and in the size of the
 * answer read.
 */
export interface MlflowClient {
  /** The server's base URL as checked (no trailing slash), for messages. */
  readonly url: string;
  /** The parsed JSON answer; an MLflow error answer is an MlflowRefusal. */
  call(method: MlflowMethod, path: string, fields?: Record<string, unknown>): Promise<unknown>;
  /** Writes one file through the artifact proxy; `path` is relative to the proxy's root, e.g. 1/<run>/artifacts/model/model.json. */
  putArtifact(path: string, bytes: Uint8Array): Promise<void>;
}

export interface MlflowClientOptions {
  url: string;
  /** Where MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME/PASSWORD are read (process.env for a user's call). */
  env: NodeJS.ProcessEnv;
  /** The caller's interrupt: a request in flight is aborted and the sync stops with INTERRUPTED. */
  signal?: AbortSignal;
  /** Per JSON request; an artifact upload gets this plus a second per MiB. Default 30 s. */
  timeoutMs?: number;
}

/** The largest answer read from the server (a page of runs with their metrics, params and tags). */
export const MAX_ANSWER_BYTES = 32 * 2 ** 20;

/**
 * A client for the tracking server at `url` (checked: http or https, see trackingUrl), with the
 * Authorization header MLflow's clients would send (trackingAuth). A server that does not answer,
 * answers too slowly, refuses the credentials or does not answer in MLflow's JSON is a DwError
 * naming the URL: it ends the sync. A request MLflow itself refuses is an MlflowRefusal, which
 * the caller holds against one item.
 *
 * @example
 * ```ts
 * const mlflow = createMlflowClient({ url: "http://127.0.0.1:5000", env: process.env });
 * await mlflow.call("GET", "experiments/get-by-name", { experiment_name: "dw" });
 * ```
 */
export function createMlflowClient(options: MlflowClientOptions): MlflowClient {
  const base = trackingUrl(options.url);
  const auth = trackingAuth(options.env);
  const timeoutMs = options.timeoutMs ?? 30_000;

  async function send(method: string, target: string, body: string | Uint8Array | undefined, contentType: string | undefined, limitMs: number) {
    if (options.signal?.aborted) throw failure(options.signal.reason, limitMs);
    const headers: Record<string, string> = { accept: "application/json" };
    if (contentType) headers["content-type"] = contentType;
    if (auth) headers.authorization = auth;
    const timeout = AbortSignal.timeout(limitMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await fetch(`${base}${target}`, { method, headers, body, signal, redirect: "error" });
    } catch (e) {
      throw failure(e, limitMs);
    }
    let text: string;
    try {
      text = await readCapped(res, MAX_ANSWER_BYTES, target);
    } catch (e) {
      throw failure(e, limitMs);
    }
    if (res.status === 401 || res.status === 403) {
      throw new DwError(
        "CONFIG_ERROR",
        `The MLflow tracking server at ${base} refused the request (HTTP ${res.status}): ${auth ? "the credentials were not accepted" : "it asks for credentials"}.`,
        {
          hint: "Set MLFLOW_TRACKING_TOKEN (a Bearer token) or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD, as for MLflow's own clients.",
          details: { url: base, status: res.status },
        },
      );
    }
    let json: unknown;
    try {
      json = text === "" ? {} : JSON.parse(text);
    } catch {
      throw notMlflow(res.status, res.headers.get("content-type"));
    }
    if (json === null || typeof json !== "object" || Array.isArray(json)) throw notMlflow(res.status, res.headers.get("content-type"));
    if (!res.ok) {
      const { error_code, message } = json as { error_code?: unknown; message?: unknown };
      if (typeof error_code !== "string") throw notMlflow(res.status, res.headers.get("content-type"));
      throw new MlflowRefusal(res.status, error_code, typeof message === "string" ? message.slice(0, 1000) : "");
    }
    return json;
  }

  function failure(e: unknown, limitMs: number): DwError {
    if (e instanceof DwError) return e;
    if (options.signal?.aborted)
      return new DwError(
        "INTERRUPTED",
        `Stopped talking to the MLflow tracking server at ${base}; what was sent so far is consistent and the next sync finishes it.`,
      );
    const name = (e as { name?: string }).name;
    if (name === "TimeoutError") {
      return new DwError("CONNECTION_ERROR", `The MLflow tracking server at ${base} did not answer within ${Math.round(limitMs / 1000)} s.`, {
        hint: "Check that the server is up and not overloaded, then run the sync again; it continues where it stopped.",
        details: { url: base },
      });
    }
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    return new DwError("CONNECTION_ERROR", `No answer from an MLflow tracking server at ${base}: ${cause?.code ?? cause?.message ?? (e as Error).message}.`, {
      hint: "Check --url, and that the server runs (e.g. mlflow server --host 127.0.0.1 --port 5000).",
      details: { url: base },
    });
  }

  function notMlflow(status: number, contentType: string | null): DwError {
    return new DwError(
      "CONNECTION_ERROR",
      `${base} did not answer as an MLflow tracking server (HTTP ${status}, ${contentType ?? "no content type"}, not MLflow's JSON).`,
      {
        hint: "Pass the tracking server's base URL (what MLFLOW_TRACKING_URI holds), not its UI page or a model scoring server.",
        details: { url: base, status },
      },
    );
  }

  return {
    url: base,
    call(method, path, fields = {}) {
      if (method === "GET") {
        const q = new URLSearchParams();
        for (const [k, v] of Object.entries(fields)) {
          for (const item of Array.isArray(v) ? v : [v]) if (item !== undefined) q.append(k, String(item));
        }
        const query = q.toString();
        return send("GET", `/api/2.0/mlflow/${path}${query ? `?${query}` : ""}`, undefined, undefined, timeoutMs);
      }
      return send(method, `/api/2.0/mlflow/${path}`, JSON.stringify(fields), "application/json", timeoutMs);
    },
    async putArtifact(path, bytes) {
      const target = `/api/2.0/mlflow-artifacts/artifacts/${path.split("/").map(encodeURIComponent).join("/")}`;
      await send("PUT", target, bytes, "application/octet-stream", timeoutMs + Math.ceil(bytes.length / 2 ** 20) * 1000);
    },
  };
}

/** The body as text, refusing one larger than `max` bytes without reading the rest. */
async function readCapped(res: Response, max: number, target: string): Promise<string> {
  if (!res.body) return "";
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > max) {
      await reader.cancel();
      throw new DwError("CONNECTION_ERROR", `The MLflow tracking server's answer to ${target.split("?")[0]} is over ${max / 2 ** 20} MiB; dw reads no more.`, {
        hint: "This is not an answer MLflow gives to dw's requests; check that --url names a tracking server.",
      });
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
