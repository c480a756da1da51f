import { MagicError } from "./MagicError.js";

/**
 * One input from two parts of a call: the flags, and a body given whole (a `%%dw` cell's YAML or
 * JSON, the CLI's `--json`). A field given in both is a MagicError, never silently one or the other.
 */
export function mergeInput(flags: Record<string, unknown>, body: Record<string, unknown>, conflict: (field: string) => string): Record<string, unknown> {
  for (const key of Object.keys(body)) {
    if (Object.hasOwn(flags, key)) throw new MagicError(conflict(key));
  }
  return { ...flags, ...body };
}
