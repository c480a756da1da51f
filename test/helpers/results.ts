import assert from "node:assert/strict";
import type { ToolResult } from "../../src/index.js";

/** The output of a tool call that must succeed; fails the test with the error otherwise. */
export function ok(r: ToolResult): Record<string, any> {
  if (!r.ok) assert.fail(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.output;
}

/** The error of a tool call that must fail; fails the test with the output otherwise. */
export function err(r: ToolResult): { code: string; message: string; hint?: string; details?: Record<string, unknown> } {
  if (r.ok) assert.fail(`expected an error, got ${JSON.stringify(r.output).slice(0, 200)}`);
  return r.error;
}
