import { isRequestId } from "../../monitoring/log/requestId.js";
import type { FeedbackInput } from "../../monitoring/log/createInferenceLog.js";
import { HttpError, badRequest, methodNotAllowed } from "../http/HttpError.js";
import { readBody } from "../http/readBody.js";
import { decodeSegment, parseJson } from "../http/parseRequest.js";
import { sendJson } from "../http/respond.js";
import type { Routes } from "./RouteContext.js";

/** Most labels one feedback request may carry, and its largest body (labels are small). */
export const FEEDBACK_MAX_LABELS = 10_000;
export const FEEDBACK_MAX_BYTES = 1024 * 1024;
/** Longest label text. */
const MAX_LABEL_CHARS = 1024;
const FIELDS = new Set(["request_id", "row", "label"]);

/**
 * `POST /models/<name>@<alias>/feedback`: the ground truth for rows of earlier requests to that
 * alias, by the request id their answers carried (X-Request-Id), so performance can be measured
 * after deploy. The body is one label, `{"request_id": "...", "row": 0, "label": <value>}` (row
 * defaults to 0), or many, `{"labels": [{...}, ...]}` (at most FEEDBACK_MAX_LABELS). The labels are
 * appended to the deployment's feedback log once checked, all or none, and the answer
 * `{"accepted": n}` comes once they are written. Every mistake is a 400 naming the field and
 * position, never a value. The request ids are not looked up in the inference log (a label may
 * come before its request's batch is written, or after the log rotated it away).
 */
export const feedbackRoutes: Routes = async (req, res, path, ctx) => {
  const m = /^\/models\/([^/@]+)@([^/]+)\/feedback$/.exec(path);
  if (!m) return false;
  const name = decodeSegment(m[1], "model name");
  const alias = decodeSegment(m[2], "alias");
  if (req.method !== "POST") throw methodNotAllowed("POST");
  const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json") {
    throw new HttpError(415, { error_code: "BAD_REQUEST", message: "Feedback is JSON: send it with Content-Type: application/json." });
  }
  const text = await readBody(req, res, Math.min(ctx.limits.maxBodyBytes, FEEDBACK_MAX_BYTES), ctx.budget);
  const labels = parseFeedback(parseJson(text), ctx.limits.maxRows);
  // Only an alias that is served takes feedback (the same 404 as scoring otherwise).
  await ctx.resolve(name, { alias });
  if (!(await ctx.inferenceLog.feedback(name, alias, labels))) {
    throw new HttpError(503, {
      error_code: "TEMPORARILY_UNAVAILABLE",
      message: "The feedback could not be stored (see .dw/server.log in the workspace); nothing of it was kept. Send it again.",
    });
  }
  sendJson(res, 200, { accepted: labels.length });
  return true;
};

/** The labels of a feedback body, or a 400 naming the first field at fault. */
export function parseFeedback(body: unknown, maxRows: number): FeedbackInput[] {
  if (!isObject(body)) throw badRequest('Feedback must be a JSON object: {"request_id": ..., "label": ...} or {"labels": [...]}.');
  if (!Object.hasOwn(body, "labels")) return [label(body, "the body", maxRows)];
  if (Object.keys(body).length !== 1) throw badRequest("A body with labels may have no other field; send one label without labels, or every label inside it.");
  const list = body.labels;
  if (!Array.isArray(list)) throw badRequest("labels must be a list of {request_id, row, label} objects.");
  if (list.length === 0) throw badRequest("labels is empty; send at least one label.");
  if (list.length > FEEDBACK_MAX_LABELS) {
    throw badRequest(`labels holds ${list.length} labels, more than the ${FEEDBACK_MAX_LABELS.toLocaleString("en-US")} one request may carry; split it.`);
  }
  return list.map((item, i) => label(item, `labels[${i}]`, maxRows));
}

function label(item: unknown, where: string, maxRows: number): FeedbackInput {
  if (!isObject(item)) throw badRequest(`${where} must be an object with request_id, label and optionally row.`);
  for (const k of Object.keys(item)) if (!FIELDS.has(k)) throw badRequest(`${where} has a field other than request_id, row and label.`);
  if (!isRequestId(item.request_id)) {
    throw badRequest(
      `${where}.request_id must be the request id an answer carried (X-Request-Id): 1 to 128 letters, digits, '.', '_', ':' or '-'${item.request_id === undefined ? "; it is missing" : ""}.`,
    );
  }
  const row = item.row ?? 0;
  if (!(Number.isSafeInteger(row) && (row as number) >= 0 && (row as number) < maxRows)) {
    throw badRequest(`${where}.row must be a whole number from 0 to ${maxRows - 1}: the row's position in its request.`);
  }
  const value = item.label;
  const ok =
    (typeof value === "number" && Number.isFinite(value)) || typeof value === "boolean" || (typeof value === "string" && value.length <= MAX_LABEL_CHARS);
  if (!ok) {
    throw badRequest(
      `${where}.label must be a number, true or false, or a text of at most ${MAX_LABEL_CHARS} characters${value === undefined ? "; it is missing" : ""}.`,
    );
  }
  return { request_id: item.request_id, row: row as number, label: value as number | string | boolean };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
