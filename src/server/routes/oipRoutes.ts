import type http from "node:http";
import { isDwError } from "../../errors/DwError.js";
import { scoreModel } from "../../models/scoreModel.js";
import { DW_VERSION } from "../../version.js";
import { HttpError, badRequest, methodNotAllowed } from "../http/HttpError.js";
import { readBodyBytes } from "../http/readBody.js";
import { sendJson } from "../http/respond.js";
import { ignoredColumnsHeader } from "../http/ignoredColumnsHeader.js";
import { OUTPUT_NAME, inputDatatype, outputDatatype } from "../oip/datatypes.js";
import { oipTarget, type ModelTarget, type OipTarget } from "../oip/oipPath.js";
import { parseInferRequest } from "../oip/parseInferRequest.js";
import { tensorScoringInput } from "../oip/tensorScoringInput.js";
import { sendInferResponse } from "../oip/inferResponse.js";
import { parseJson } from "../http/parseRequest.js";
import type { RouteContext, Routes } from "./RouteContext.js";

/** The extensions `GET /v2` lists: Triton's binary tensor data, which its HTTP client uses by default. */
const EXTENSIONS = ["binary_tensor_data"];

/**
 * The Open Inference Protocol v2 (KServe, Triton, MLServer) over REST, beside the MLflow routes:
 * health, server and model metadata, model readiness and inference, for the same served models
 * (see src/server/oip/oipPath.ts for which model a path means). Errors are `{"error": "..."}`, as
 * the protocol's clients read them, with the status the MLflow routes would answer.
 */
export const oipRoutes: Routes = async (req, res, path, ctx) => {
  if (path !== "/v2" && !path.startsWith("/v2/")) return false;
  try {
    await handle(req, res, oipTarget(path), ctx);
    return true;
  } catch (e) {
    // The protocol's error body has no code; the inference log keeps the one the MLflow routes would answer.
    if (e instanceof HttpError) {
      if (typeof e.body.error_code === "string") ctx.errorCode = e.body.error_code;
      throw new HttpError(e.status, { error: e.message }, e.headers);
    }
    if (isDwError(e)) {
      ctx.errorCode = "BAD_REQUEST";
      throw new HttpError(400, { error: e.message });
    }
    throw e;
  }
};

async function handle(req: http.IncomingMessage, res: http.ServerResponse, target: OipTarget, ctx: RouteContext): Promise<void> {
  if (target.kind === "infer") return infer(req, res, target, ctx);
  if (req.method !== "GET" && req.method !== "HEAD") throw methodNotAllowed("GET");
  if (target.kind === "server") return sendJson(res, 200, { name: "dw", version: DW_VERSION, extensions: EXTENSIONS });
  if (target.kind === "live") return sendJson(res, 200, { live: true });
  if (target.kind === "ready") return sendJson(res, 200, { ready: true });
  const { version, model } = await ctx.resolve(target.name, target.selector);
  if (target.kind === "model_ready") return sendJson(res, 200, { name: target.modelName, ready: true });
  sendJson(res, 200, {
    name: target.modelName,
    // Every version served at its pinned path, and always the one answering here.
    versions: [...new Set([...(await ctx.servedVersions(target.name)), version])].sort((a, b) => a - b).map(String),
    platform: `dw_${model.json.algorithm}`,
    inputs: model.json.signature.inputs.map((f) => ({ name: f.name, datatype: inputDatatype(f.type), shape: [-1] })),
    outputs: [{ name: OUTPUT_NAME, datatype: outputDatatype(model), shape: [-1] }],
  });
}

async function infer(req: http.IncomingMessage, res: http.ServerResponse, target: ModelTarget, ctx: RouteContext): Promise<void> {
  if (req.method !== "POST") throw methodNotAllowed("POST");
  const encoding = (req.headers["content-encoding"] ?? "identity").trim().toLowerCase();
  if (encoding !== "identity") {
    throw new HttpError(415, { error: "Compressed request bodies (Content-Encoding) are not accepted; send the request uncompressed." });
  }
  const headerLength = inferenceHeaderLength(req.headersDistinct["inference-header-content-length"]);
  const body = await readBodyBytes(req, res, ctx.limits.maxBodyBytes, ctx.budget);
  const request = parseInferRequest(body, headerLength, parseJson);
  const { model, version } = await ctx.resolve(target.name, target.selector);
  ctx.served = { name: target.name, version, alias: "alias" in target.selector ? target.selector.alias : null, protocol: "oip" };
  res.setHeader("X-Dw-Version", String(version));
  const seen = new Set<string>();
  for (const o of request.outputs ?? []) {
    if (o.name !== OUTPUT_NAME) throw badRequest(`${o.where}.name is not an output of this model; its one output is ${OUTPUT_NAME}.`);
    if (seen.has(o.name)) throw badRequest(`${o.where} asks for the same output as an earlier one.`);
    seen.add(o.name);
  }
  const inputs = model.json.signature.inputs;
  const columns = inputs.map((f) => f.name);
  const input = tensorScoringInput(request.inputs, columns, ctx.limits.maxRows);
  const predictions = scoreModel(model, input);
  ctx.served.rows = predictions.length;
  ctx.scored = { input, predictions, columns, runId: model.json.run_id };
  sendInferResponse(res, predictions, {
    modelName: target.modelName,
    modelVersion: String(version),
    ...(request.id !== undefined ? { id: request.id } : {}),
    outputName: OUTPUT_NAME,
    datatype: outputDatatype(model),
    binary: request.outputs ? request.outputs[0].binary : request.binaryOutput,
    headers: ignoredColumnsHeader(input, inputs),
  });
}

/** The Inference-Header-Content-Length header (the JSON part's length in bytes), or null when absent. */
function inferenceHeaderLength(headers: string[] | undefined): number | null {
  if (headers === undefined) return null;
  if (headers.length > 1) throw badRequest("The request has more than one Inference-Header-Content-Length header.");
  const v = headers[0].trim();
  if (!/^\d{1,15}$/.test(v)) throw badRequest("The Inference-Header-Content-Length header must be a whole number of bytes.");
  return Number(v);
}
