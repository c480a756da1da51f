import type { ScoringInput } from "../../models/scoreModel.js";

/** The response header that reports the columns a request carried and the model did not read. */
export const IGNORED_COLUMNS_HEADER = "Dw-Ignored-Columns";

/** Longest header value written; past it the list ends with how many more there were. */
const MAX_HEADER_CHARS = 1024;

/**
 * `{ "Dw-Ignored-Columns": "2 (dataframe_split.columns[3], dataframe_split.columns[5])" }` for the
 * request's columns that are not among the model's inputs (MLflow ignores extra columns silently;
 * dw ignores them too but says so), or no header when there are none. Like every answer of dw
 * serve it repeats nothing the client sent: a column is named by its place in the request, so a
 * typo in a column name is found without the name being reflected. Cut at 1 KiB with ", ...".
 */
export function ignoredColumnsHeader(input: ScoringInput, inputs: readonly { name: string }[]): Record<string, string> {
  if (!input.columnNames) return {};
  const used = new Set(inputs.map((f) => f.name));
  const places: string[] = [];
  let count = 0;
  let length = 0;
  let i = 0;
  for (const name of input.columnNames()) {
    i++;
    if (used.has(name)) continue;
    count++;
    if (length > MAX_HEADER_CHARS) continue;
    const place = input.columnPlace ? input.columnPlace(name) : `request column ${i}`;
    places.push(place);
    length += place.length + 2;
  }
  if (!count) return {};
  return { [IGNORED_COLUMNS_HEADER]: `${count} (${places.join(", ")}${places.length < count ? ", ..." : ""})` };
}
