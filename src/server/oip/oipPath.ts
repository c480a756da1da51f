import { badRequest, notFound } from "../http/HttpError.js";
import type { ModelSelector } from "../servedModels.js";
import { decodeSegment } from "../http/parseRequest.js";

/** The alias `/v2/models/<name>` serves: the Open Inference Protocol has no aliases, and production is what a client means by "the model". */
export const DEFAULT_ALIAS = "production";

/** A `/v2/models/...` path: the model's metadata, its readiness, or inference. */
export interface ModelTarget {
  kind: "model" | "model_ready" | "infer";
  name: string;
  selector: ModelSelector;
  /** The name as the path addresses it (`temp`, `temp@staging`), which the answers carry back. */
  modelName: string;
}

/** What a `/v2` path asks for. */
export type OipTarget = { kind: "server" } | { kind: "live" } | { kind: "ready" } | ModelTarget;

const ROUTE_HELP =
  "No such route. Open Inference Protocol paths are /v2, /v2/health/live, /v2/health/ready and /v2/models/<name>[@<alias>][/versions/<version>][/ready|/infer].";

/**
 * Reads a `/v2` path. A model is `<name>` (its production alias), `<name>@<alias>` (the segment
 * percent-decoded, as clients quote the `@`) or `<name>/versions/<version>` (a pinned version);
 * `modelName` is the name as addressed, which the answers carry back. An alias and a version
 * together are a 400. Any other path under /v2 is a 404.
 */
export function oipTarget(path: string): OipTarget {
  if (path === "/v2" || path === "/v2/") return { kind: "server" };
  if (path === "/v2/health/live") return { kind: "live" };
  if (path === "/v2/health/ready") return { kind: "ready" };
  const m = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(?:\/(ready|infer))?$/.exec(path);
  if (!m) throw notFound(ROUTE_HELP);
  const modelName = decodeSegment(m[1], "model name");
  const at = modelName.indexOf("@");
  const name = at < 0 ? modelName : modelName.slice(0, at);
  let selector: ModelSelector;
  if (m[2] !== undefined) {
    if (at >= 0) throw badRequest("The path names both an alias (@) and a version (/versions/); name one.");
    const v = decodeSegment(m[2], "version");
    selector = { version: /^\d{1,15}$/.test(v) ? Number(v) : Number.NaN };
  } else selector = { alias: at < 0 ? DEFAULT_ALIAS : modelName.slice(at + 1) };
  const kind = m[3] === "ready" ? "model_ready" : m[3] === "infer" ? "infer" : "model";
  return { kind, name, selector, modelName };
}
