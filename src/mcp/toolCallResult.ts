import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { DwErrorJSON } from "../errors/DwError.js";
import { documentText } from "../workspace/documentText.js";

/** The key of `_meta` under which a failed call carries dw's error object for programs. */
export const ERROR_META_KEY = "dw/error";

/** How many characters the one-line summary of an output may take. */
const SUMMARY_CHARS = 400;

/**
 * A successful call as MCP returns it: `structuredContent` is the tool's output (its output schema
 * describes it); the text says in a line what happened and the fields that name what was made
 * (run_id, version, dataset_id…), then the output as JSON, as the specification asks of a tool
 * with structured content for clients that pass only text to their model.
 */
export function successResult(tool: string, output: Record<string, unknown>): CallToolResult {
  return {
    content: [
      { type: "text", text: `${tool} succeeded: ${summary(output)}` },
      { type: "text", text: documentText(output) },
    ],
    structuredContent: output,
  };
}

/**
 * A call that failed as a tool error (`isError: true`), which the agent reads and can act on:
 * the text names dw's error code, its message and its hint; the error object itself
 * (`{code, message, hint, details}`) follows as JSON text and in `_meta["dw/error"]`. It is not
 * `structuredContent`, which clients check against the tool's output schema.
 */
export function errorResult(tool: string, error: DwErrorJSON): CallToolResult {
  const hint = error.hint ? `\nHint: ${error.hint}` : "";
  return {
    isError: true,
    content: [
      { type: "text", text: `${tool} failed with ${error.code}: ${error.message}${hint}` },
      { type: "text", text: documentText({ error }) },
    ],
    _meta: { [ERROR_META_KEY]: error },
  };
}

/**
 * The output's top-level values in one line: text, numbers and booleans as they are, lists and
 * objects by their size, cut at SUMMARY_CHARS (the full output is in the same result).
 */
function summary(output: Record<string, unknown>): string {
  const parts: string[] = [];
  let length = 0;
  for (const [key, value] of Object.entries(output)) {
    const shown = shortValue(value);
    if (shown === null) continue;
    const part = `${key}=${shown}`;
    if (length + part.length > SUMMARY_CHARS) {
      parts.push("…");
      break;
    }
    parts.push(part);
    length += part.length + 2;
  }
  return parts.length ? parts.join(", ") : "(no fields)";
}

function shortValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value.length > 80 ? `${JSON.stringify(value.slice(0, 77))}…` : JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.length} item${value.length === 1 ? "" : "s"}]`;
  if (typeof value === "object") return `{${Object.keys(value).length} field${Object.keys(value).length === 1 ? "" : "s"}}`;
  return null;
}
