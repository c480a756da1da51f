import type { ScoringInput } from "../../models/scoreModel.js";

/** The response header that lists the columns a request carried and the model did not read. */
export const IGNORED_COLUMNS_HEADER = "Dw-Ignored-Columns";

/** Longest header value written; past it the list ends with how many more there were. */
const MAX_HEADER_CHARS = 1024;

/**
 * `{ "Dw-Ignored-Columns": "a, b%2Cc" }` for the request's columns that are not among the model's
 * inputs (MLflow ignores extra columns silently; dw ignores them too but says so), or no header
 * when there are none. Names are percent-encoded (so a comma, a line break or any other character
 * cannot break the header), in request order, cut at 1 KiB with ", ... (N more)".
 */
export function ignoredColumnsHeader(input: ScoringInput, inputs: readonly { name: string }[]): Record<string, string> {
  if (!input.columnNames) return {};
  const used = new Set(inputs.map((f) => f.name));
  const parts: string[] = [];
  let length = 0;
  let more = 0;
  for (const name of input.columnNames()) {
    if (used.has(name)) continue;
    const encoded = encodeURIComponent(name);
    if (more || length + encoded.length + 2 > MAX_HEADER_CHARS) more++;
    else {
      parts.push(encoded);
      length += encoded.length + 2;
    }
  }
  if (!parts.length && !more) return {};
  return { [IGNORED_COLUMNS_HEADER]: parts.join(", ") + (more ? `, ... (${more} more)` : "") };
}
