import type { DwCall } from "../src/execution/ExecutionRecord.js";
import type { ToolResult } from "../src/index.js";
import { resultIdOf } from "./resultIdOf.js";

/** The largest input, as JSON, a call's record keeps; a bigger one (rows passed by value) is left out. */
export const CALL_INPUT_LIMIT = 16 * 1024;

/** Where a call came from in its cell: a `%dw` line's number, and the variable `--as` declared. */
export interface CallSite {
  line?: number;
  as?: string;
}

/**
 * The record of one dw call for the execution history: the tool, where in the cell, the input as
 * called (a JSON copy, so a later change to a variable does not rewrite history; left out when over
 * CALL_INPUT_LIMIT or not JSON), whether it worked, and the id of what it made or the error's code.
 */
export function dwCallOf(result: ToolResult, input: unknown, site: CallSite = {}): DwCall {
  const call: DwCall = { tool: result.tool, ok: result.ok };
  if (site.line !== undefined) call.line = site.line;
  const copy = jsonCopy(input);
  if (copy !== undefined) call.input = copy;
  if (site.as !== undefined) call.as = site.as;
  if (result.ok) {
    const id = resultIdOf(result.output);
    if (id !== undefined) call.result_id = id;
  } else {
    call.error_code = result.error.code;
  }
  return call;
}

/**
 * The call being made, for the record its own origin carries: the run that call writes comes from
 * it, so a history rendered from that record shows the line with its input instead of no call.
 */
export function pendingCallOf(tool: string, input: unknown, site: CallSite = {}): DwCall {
  const call: DwCall = { tool, ok: true, pending: true };
  if (site.line !== undefined) call.line = site.line;
  const copy = jsonCopy(input);
  if (copy !== undefined) call.input = copy;
  if (site.as !== undefined) call.as = site.as;
  return call;
}

class TooBig extends Error {}

function jsonCopy(input: unknown): Record<string, unknown> | undefined {
  if (input === null || typeof input !== "object" || Array.isArray(input)) return undefined;
  // The replacer counts what it has seen and stops early, so a call passing a million rows costs
  // no more than the limit to judge, not a serialisation of the rows.
  let seen = 0;
  let text: string | undefined;
  try {
    text = JSON.stringify(input, (key: string, value: unknown) => {
      seen += key.length + (typeof value === "string" ? value.length : 4);
      if (seen > CALL_INPUT_LIMIT) throw new TooBig();
      return value;
    });
  } catch {
    // Too big, a cycle or a BigInt: the call is recorded without its input.
    return undefined;
  }
  if (text === undefined || text.length > CALL_INPUT_LIMIT) return undefined;
  return JSON.parse(text) as Record<string, unknown>;
}
