import type { ErrorPayload, NextStep } from "../../../src/comm/protocol.js";
import { CommandIds } from "../commandIds.js";

/**
 * What a Next steps button does. Most steps call their tool through the comm; three open the
 * app's own UI instead, so the user sees the work: productionize opens the Productionize dialog
 * with its live steps, retrain_model the retrain command (its progress shows on the endpoint), and
 * a report opens the Gates panel.
 */
export type StepDispatch = { kind: "command"; command: string; args: Record<string, string> } | { kind: "tool"; tool: string; input: Record<string, unknown> };

/** Where a step's action stands in this session: running (with its last progress line), done, or failed. */
export type StepActivity =
  | { state: "running"; progress: string }
  /** `headline` replaces "Done: <title>" where the panel cannot know the result (a dialog the user read and closed). */
  | { state: "done"; summary: string; headline?: string }
  | { state: "failed"; error: ErrorPayload };

export interface NextStepView {
  id: string;
  rule: string;
  title: string;
  reason: string;
  /** The button's words. */
  button: string;
  /** What the step is about, in a line (`model temp v3 @production · run r-12`); empty when nothing is named. */
  subject: string;
  dispatch: StepDispatch;
}

/** The panel's body as data: the steps, or why there are none and what to do first. */
export type NextStepsView = { kind: "steps"; steps: NextStepView[] } | { kind: "empty"; headline: string; detail: string; lines: string[] };

/** How far the workspace has come, for the empty state's advice. */
export interface WorkspaceProgress {
  runs: number;
  models: number;
  endpoints: number;
}

/** The first commands of the quickstart: what to run when nothing is trained yet. */
const FIRST_LINES = ["%dw load_dataset data/your-data.csv --as mydata", "%dw train_model --data mydata --target <column>"];

/**
 * The view for the kernel's last `next_steps` (null when suggest_next_steps did not answer) and
 * what the workspace holds. Steps keep the kernel's order: it is deterministic and ranked.
 */
export function nextStepsView(steps: readonly NextStep[] | null, progress: WorkspaceProgress): NextStepsView {
  if (steps && steps.length > 0) return { kind: "steps", steps: steps.map(stepView) };
  if (progress.runs === 0 && progress.models === 0) {
    return {
      kind: "empty",
      headline: "Nothing trained yet.",
      detail: "Load a dataset and train a first model in a notebook cell; the next steps show up here.",
      lines: FIRST_LINES,
    };
  }
  if (steps === null) {
    return {
      kind: "empty",
      headline: "No suggestions from the kernel.",
      detail: "This kernel did not answer suggest_next_steps; restart it with this version of dw to see what to do next.",
      lines: [],
    };
  }
  return {
    kind: "empty",
    headline: "Nothing to do right now.",
    detail:
      progress.endpoints > 0
        ? "Every endpoint is healthy and no run beats what it serves. Train another model to compare, or watch the Endpoints panel."
        : "No run is ready to ship. Train another model, or productionize a run from its cell.",
    lines: [],
  };
}

/** One step as the panel shows it. */
export function stepView(step: NextStep): NextStepView {
  return {
    id: step.id,
    rule: step.rule,
    title: step.title,
    reason: step.reason,
    button: step.action.label,
    subject: subjectLine(step.subject),
    dispatch: stepDispatch(step),
  };
}

/** What the step's button does (see StepDispatch). */
export function stepDispatch(step: NextStep): StepDispatch {
  const action = step.action;
  if (action.kind === "show_report") return { kind: "command", command: CommandIds.showPanel, args: { panel: "gates" } };
  const input = action.input;
  if (action.tool === "productionize") {
    const args: Record<string, string> = {};
    for (const key of ["run_id", "model_name", "alias"] as const) {
      const value = input[key] ?? (key === "run_id" ? step.subject.run_id : key === "model_name" ? step.subject.model : undefined);
      if (typeof value === "string" && value !== "") args[key] = value;
    }
    return { kind: "command", command: CommandIds.productionize, args };
  }
  if (action.tool === "retrain_model") {
    const modelId =
      typeof input.model_id === "string" ? input.model_id : step.subject.model && step.subject.alias ? `${step.subject.model}@${step.subject.alias}` : "";
    const args: Record<string, string> = { model_id: modelId };
    if (input.and_then === "compare" || input.and_then === "ab_test" || input.and_then === "none") args.and_then = input.and_then;
    return { kind: "command", command: CommandIds.retrain, args };
  }
  return { kind: "tool", tool: action.tool, input: { ...input } };
}

/**
 * A tool's output in a line for the step's outcome: its own summary or note when it gives one,
 * else the commit it recorded (every tool that writes commits, and git shows it), else that it finished.
 */
export function toolOutcomeSummary(tool: string, output: Record<string, unknown>): string {
  for (const key of ["summary", "message", "note"]) {
    const v = output[key];
    if (typeof v === "string" && v.trim() !== "") return v.trim();
  }
  const { commit, ref } = output;
  if (typeof commit === "string" && /^[0-9a-f]{40}$/.test(commit))
    return `${tool} recorded commit ${commit.slice(0, 12)}${typeof ref === "string" && ref ? ` on ${ref}` : ""}.`;
  return `${tool} finished.`;
}

/** The outcome of a failed action in lines: the message, the hint, the code. */
export function errorLines(error: ErrorPayload): string[] {
  return [error.message, ...(error.hint ? [error.hint] : []), `code: ${error.code}`];
}

function subjectLine(s: NextStep["subject"]): string {
  const parts: string[] = [];
  if (s.model) parts.push(`model ${s.model}${s.version !== undefined ? ` v${s.version}` : ""}${s.alias ? ` @${s.alias}` : ""}`);
  if (s.run_id) parts.push(`run ${s.run_id}`);
  return parts.join(" · ");
}
