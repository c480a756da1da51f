import type { ErrorPayload, StepProgress } from "../../../src/comm/protocol.js";
import { StepProgress as StepProgressSchema } from "../../../src/comm/protocol.js";

/**
 * What the Productionize dialog shows, as data: the steps (each pending until the kernel reports
 * it, then running, then how it ended, with its time and detail) and, when a gate blocks, its
 * reasons and what the user may do (override with a reason, or request an approval).
 * ProductionizeSteps turns it into DOM; keeping the decisions here lets them be tested without a browser.
 */

/** The steps the kernel's productionize takes, in order (src/deployment/productionizeRun.ts). */
export const PRODUCTIONIZE_STEP_NAMES = ["snapshot", "quality", "cost", "register", "governance", "deploy", "monitoring"] as const;

/** The fewest characters of an override reason or an approval request's reason (as the tools check, after trimming). */
export const MIN_REASON_LENGTH = 10;

/** One row of the steps list: a step the kernel reported, or one it has not reached (pending). */
export interface StepRow {
  name: string;
  status: StepProgress["status"] | "pending";
  seconds?: number;
  detail?: string;
}

/** Every planned step, pending. */
export function plannedRows(): StepRow[] {
  return PRODUCTIONIZE_STEP_NAMES.map((name) => ({ name, status: "pending" }));
}

/**
 * The rows with `step` applied: the row of that name takes its status, seconds and detail (a
 * running step has neither); a step the plan does not know is added at the end.
 */
export function applyStep(rows: readonly StepRow[], step: StepProgress): StepRow[] {
  const row: StepRow = { name: step.name, status: step.status };
  if (step.seconds !== undefined) row.seconds = step.seconds;
  if (step.detail !== undefined) row.detail = step.detail;
  const at = rows.findIndex((r) => r.name === step.name);
  if (at < 0) return [...rows, row];
  return rows.map((r, i) => (i === at ? row : r));
}

/** The rows once productionize ended, from the steps it lists (its output, or an error's details.steps). */
export function rowsFromSteps(rows: readonly StepRow[], steps: readonly StepProgress[]): StepRow[] {
  return steps.reduce<StepRow[]>((acc, s) => applyStep(acc, s), [...rows]);
}

/** The steps an error carries in `details.steps`, each checked; those that do not parse are left out. */
export function stepsOfError(error: ErrorPayload): StepProgress[] {
  const raw = error.details?.steps;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((s) => {
    const parsed = StepProgressSchema.safeParse(s);
    return parsed.success ? [parsed.data] : [];
  });
}

/** Seconds as the dialog shows them: `0.42 s`, `12.3 s`, `2 min 5 s`. */
export function formatSeconds(seconds: number): string {
  if (seconds < 10) return `${seconds.toFixed(2)} s`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)} min ${whole % 60} s`;
}

/** A reason of a blocked gate: which gate and check, and what it found. */
export interface BlockReason {
  gate: string;
  check?: string;
  message: string;
}

/** A productionize that a gate blocked, with what the user may do next. */
export interface BlockedView {
  /** The gate(s) that blocked, e.g. `governance`. */
  gates: string[];
  reasons: BlockReason[];
  hint?: string;
  /** The version the gate judged; an approval request needs it. */
  target?: { model_name: string; version: number; alias: string };
  /** The gate's decision was `review`: an approval is what is missing, so requesting one can lift it. */
  approvalHelps: boolean;
}

/**
 * The blocked gate in a GATE_FAILED error (productionize's `details`: `blocking` findings, the
 * model, version, alias and decision), or null for any other error.
 */
export function blockedView(error: ErrorPayload): BlockedView | null {
  if (error.code !== "GATE_FAILED") return null;
  const d = error.details ?? {};
  const reasons: BlockReason[] = [];
  if (Array.isArray(d.blocking)) {
    for (const b of d.blocking) {
      if (typeof b !== "object" || b === null) continue;
      const f = b as Record<string, unknown>;
      if (typeof f.message !== "string") continue;
      reasons.push({ gate: typeof f.gate === "string" ? f.gate : "gate", ...(typeof f.check === "string" ? { check: f.check } : {}), message: f.message });
    }
  }
  if (reasons.length === 0) reasons.push({ gate: "gate", message: error.message });
  const gates = [...new Set(reasons.map((r) => r.gate))];
  const target =
    typeof d.model_name === "string" && typeof d.version === "number" && Number.isInteger(d.version) && typeof d.alias === "string"
      ? { model_name: d.model_name, version: d.version, alias: d.alias }
      : undefined;
  return {
    gates,
    reasons,
    ...(error.hint ? { hint: error.hint } : {}),
    ...(target ? { target } : {}),
    approvalHelps: target !== undefined && d.decision === "review",
  };
}

/** How many characters a typed reason lacks before it may be sent (0 when it may); spaces around it do not count. */
export function reasonShortBy(text: string): number {
  return Math.max(0, MIN_REASON_LENGTH - text.trim().length);
}
