import { isDwError } from "../../errors/DwError.js";
import { scoreModel } from "../../models/scoreModel.js";
import { bindToModel, type ParsedScoringRequest, parseScoringRequest } from "../scoringRequest.js";
import { parseCsvScoringRequest } from "../csvScoringInput.js";
import type { ModelSelector } from "../servedModels.js";
import { HttpError, badRequest, methodNotAllowed, notFound } from "../http/HttpError.js";
import { readBody } from "../http/readBody.js";
import { decodeSegment, parseJson } from "../http/parseRequest.js";
import { sendJson } from "../http/respond.js";
import { ignoredColumnsHeader } from "../http/ignoredColumnsHeader.js";
import type { Routes } from "./RouteContext.js";

/**
 * The MLflow scoring protocol, per alias (`/models/<name>@<alias>/invocations`) and per version
 * (`/models/<name>/<version>/invocations`), and each model's metadata at the same path without
 * `/invocations`. A scoring answer carries X-Dw-Version, the version that answered (on an alias
 * with an A/B test, the arm's).
 */
export const mlflowRoutes: Routes = async (req, res, path, ctx) => {
  if (!path.startsWith("/models/")) return false;
  const m = /^\/models\/([^/@]+)(?:@([^/]+)|\/([^/]+))(\/invocations)?$/.exec(path);
  if (!m) throw notFound("No such route. Scoring paths are /models/<name>@<alias>/invocations and /models/<name>/<version>/invocations.");
  const name = decodeSegment(m[1], "model name");
  const selector: ModelSelector = m[2] !== undefined ? { alias: decodeSegment(m[2], "alias") } : { version: /^\d{1,15}$/.test(m[3]) ? Number(m[3]) : NaN };
  if (!m[4]) {
    if (req.method !== "GET" && req.method !== "HEAD") throw methodNotAllowed("GET");
    const { version, model } = await ctx.resolve(name, selector);
    // A pinned version's metadata is what deploy_model checks: answered once every worker has it.
    if ("version" in selector && ctx.loadEverywhere) await ctx.loadEverywhere(name, version);
    sendJson(res, 200, {
      name,
      version,
      ...("alias" in selector ? { alias: selector.alias } : {}),
      algorithm: model.json.algorithm,
      task: model.json.task,
      signature: model.json.signature,
      run_id: model.json.run_id,
    });
    return true;
  }
  if (req.method !== "POST") throw methodNotAllowed("POST");
  const format = checkContentType(req.headers["content-type"]);
  const text = await readBody(req, res, ctx.limits.maxBodyBytes, ctx.budget);
  let input: ParsedScoringRequest;
  try {
    input = format === "csv" ? parseCsvScoringRequest(text, ctx.limits.maxRows) : parseScoringRequest(parseJson(text), ctx.limits.maxRows);
  } catch (e) {
    if (isDwError(e)) throw badRequest(e.message);
    throw e;
  }
  const { model, version } = await ctx.resolve(name, selector);
  ctx.served = { name, version, alias: "alias" in selector ? selector.alias : null, protocol: "mlflow" };
  res.setHeader("X-Dw-Version", String(version));
  try {
    const columns = model.json.signature.inputs.map((f) => f.name);
    const bound = bindToModel(input, columns);
    const predictions = scoreModel(model, bound);
    ctx.served.rows = predictions.length;
    ctx.scored = { input: bound, predictions, columns, runId: model.json.run_id };
    sendJson(res, 200, { predictions }, ignoredColumnsHeader(input, model.json.signature.inputs));
    return true;
  } catch (e) {
    if (isDwError(e)) throw badRequest(e.message);
    throw e;
  }
};

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
