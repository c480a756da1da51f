import { DwError } from "../errors/DwError.js";
import type { RefPlan } from "./planSync.js";

/**
 * Checks that every target of a --take_* names a conflict (a ref, or model@alias for an alias
 * and its deployment history): a resolution never moves anything that is not in conflict.
 */
export function checkTargets(targets: readonly string[], plans: readonly RefPlan[], remote: string, field: string): void {
  const conflicts = new Set(plans.filter((p) => p.decision === "conflict").map((p) => p.target));
  const unknown = targets.filter((t) => !conflicts.has(t));
  if (unknown.length === 0) return;
  const shown = unknown.map((t) => (t.length > 200 ? `${t.slice(0, 200)}…` : t)).join(", ");
  throw new DwError("INVALID_INPUT", `${field} names what is not in conflict with ${remote}: ${shown}.`, {
    hint: conflicts.size
      ? `The conflicts are: ${[...conflicts].join(", ")}.`
      : `Nothing is in conflict with ${remote}: push and pull move everything without --${field}.`,
    details: { field, not_in_conflict: unknown.slice(0, 50) },
  });
}
