import { DwError } from "../errors/DwError.js";
import type { RefPlan } from "./planSync.js";

/**
 * Checks that every target of a --take_* names a conflict (a ref, or model@alias for an alias
 * and its deployment history): a resolution never moves anything that is not in conflict. A model
 * version is never a target: versions are immutable, and taking a side would change what a number
 * means for every clone whose deployments, tests and reviews name it. A version this clone never
 * pushed is renumbered by a pull; one it pushed that the remote now holds differently is resolved
 * by hand (the error says how).
 */
export function checkTargets(targets: readonly string[], plans: readonly RefPlan[], remote: string, field: string): void {
  const versions = plans.filter((p) => p.kind.kind === "version" && (p.decision === "conflict" || p.decision === "renumber") && targets.includes(p.target));
  if (versions.length) throw versionTargets(versions, remote, field);
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

/** The refusal of a --take_* naming model versions, with what to do for each. */
function versionTargets(plans: readonly RefPlan[], remote: string, field: string): DwError {
  const renumber = plans.filter((p) => p.decision === "renumber");
  const pushed = plans.filter((p) => p.decision === "conflict");
  const lines = [
    ...(renumber.length
      ? [
          `${renumber.map((p) => p.ref).join(", ")}: this clone never pushed ${renumber.length === 1 ? "it" : "them"}; dw pull ${remote} gives ${renumber.length === 1 ? "it" : "each"} the next number free on both sides (with its aliases and records), then dw push ${remote} shares it.`,
        ]
      : []),
    ...pushed.map(
      (p) =>
        `${p.ref}: this clone pushed ${p.ours?.slice(0, 10)} under it, and ${remote} now holds ${p.theirs?.slice(0, 10)}. Compare them (git show ${p.ours} ${p.theirs}) and ask who rewrote it. To keep the remote's: git update-ref refs/dw-backup/manual/${p.ref.slice("refs/dw/".length)} ${p.ours} && git update-ref -d ${p.ref}, then dw pull ${remote}. To put this clone's back on the remote: git push ${remote} --force-with-lease=${p.ref}:${p.theirs} ${p.ours}:${p.ref}.`,
    ),
  ];
  return new DwError(
    "INVALID_INPUT",
    `${field} cannot take a side of a model version (${plans.map((p) => p.target).join(", ")}): a version never changes once registered, since deployments, tests and reviews name it by its number.`,
    {
      hint: lines.join(" "),
      details: { field, versions: plans.map((p) => p.ref) },
    },
  );
}
