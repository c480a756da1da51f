import type { Dataset } from "./Dataset.js";
import { parseCsvText } from "./readCsv.js";

/**
 * Parses CSV text already in memory into typed columns (the delimiter is sniffed). Prefer
 * `readCsvFile`, which streams from disk; this stays for callers that hold the text.
 */
export function parseCsv(text: string, source: string): Dataset {
  return parseCsvText(text, source).ds;
}
