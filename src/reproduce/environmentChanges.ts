import type { EnvironmentChange } from "./ReproduceOutcome.js";

/** More changed fields than this are not listed (a run from another machine differs in many); `more` counts the rest. */
export const MAX_ENVIRONMENT_CHANGES = 40;

/**
 * The fields of a run's execution/environment.json (Node, V8, dw, tslab and dependency versions,
 * OS, CPU) whose value differs from this process's, by dotted path (`versions.v8`,
 * `dependencies.zod`), in the stored record's order; a field only one side has counts as changed.
 * Both are read as plain JSON, so a field a later dw adds is compared too.
 *
 * @example
 * ```ts
 * environmentChanges({ node: "22.1.0", os: { arch: "x64" } }, { node: "22.3.0", os: { arch: "x64" } });
 * // { changes: [{ field: "node", stored: "22.1.0", current: "22.3.0" }], more: 0 }
 * ```
 */
export function environmentChanges(stored: unknown, current: unknown): { changes: EnvironmentChange[]; more: number } {
  const a = flatten(stored);
  const b = flatten(current);
  const changes: EnvironmentChange[] = [];
  let more = 0;
  for (const field of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(field);
    const y = b.get(field);
    if (Object.is(x, y)) continue;
    if (changes.length < MAX_ENVIRONMENT_CHANGES) changes.push({ field, stored: x ?? null, current: y ?? null });
    else more++;
  }
  return { changes, more };
}

/** Scalars by dotted path; arrays are compared whole, as their JSON text. */
function flatten(v: unknown, prefix = "", out = new Map<string, unknown>()): Map<string, unknown> {
  if (v !== null && typeof v === "object" && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) flatten(x, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out.set(prefix, Array.isArray(v) ? JSON.stringify(v) : v);
  }
  return out;
}
