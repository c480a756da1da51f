import { DwError, type DwErrorCode, type ToolResult } from "../src/index.js";

/**
 * What a cell gets from a tool call: the output, or the tool's error thrown as a DwError (code,
 * message, hint), so `await dw.trainModel(…)` and a `%dw` line fail the cell the same way.
 */
export function outputOrThrow(result: ToolResult): Record<string, unknown> {
  if (result.ok) return result.output;
  const { code, message, hint, details } = result.error;
  throw new DwError(code as DwErrorCode, message, { hint, details });
}
