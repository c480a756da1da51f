import { performance } from "node:perf_hooks";
import { DwError, isDwError } from "../errors/DwError.js";
import type { DomainContext } from "../workspace/DomainContext.js";
import type { StepProgress, StepStatus } from "../workspace/StepProgress.js";

/** How a step ended: its status (anything but running) and what it found or did, in a sentence. */
export interface StepEnd {
  status: Exclude<StepStatus, "running">;
  detail: string;
}

/**
 * The steps of a multi-step tool (productionize) as they happen: each is reported through
 * `ctx.progress` when it starts ("running") and when it ends (its status, seconds and detail), and
 * the ended steps are kept for the tool's output and for the details of an error that stops it.
 */
export interface StepLog {
  /** The steps that ended, in order. */
  readonly steps: readonly StepProgress[];
  /**
   * Runs one step: `work` returns its result and how the step ended. A step that throws ends as
   * failed with the error's message, and the error goes on.
   */
  run<T>(name: string, work: () => Promise<{ value: T; end: StepEnd }>): Promise<T>;
  /** Runs `work`; a DwError it throws comes back with `details.steps` (the steps so far) added. */
  carry<T>(work: () => Promise<T>): Promise<T>;
}

/**
 * A StepLog reporting to `ctx.progress`, for `total` steps (the progress line's "n of total").
 * Seconds are measured with the monotonic clock, not `ctx.now`, which is the clock of records.
 *
 * @example
 * ```ts
 * const log = stepLog(ctx, 7);
 * const run = await log.run("snapshot", async () => ({ value: r, end: { status: "passed", detail: "run 2026… at commit ab12cd3" } }));
 * ```
 */
export function stepLog(ctx: Pick<DomainContext, "progress">, total: number): StepLog {
  const steps: StepProgress[] = [];
  const report = (step: StepProgress): void => {
    const what = step.detail ? `${step.name}: ${step.status} (${step.detail})` : `${step.name}: ${step.status}`;
    ctx.progress?.({ message: what, done: steps.length, total, step });
  };
  return {
    steps,
    async run(name, work) {
      report({ name, status: "running" });
      const started = performance.now();
      const ended = (end: StepEnd): void => {
        const step: StepProgress = { name, status: end.status, seconds: Math.round(performance.now() - started) / 1000, detail: end.detail };
        steps.push(step);
        report(step);
      };
      let outcome: { value: Awaited<ReturnType<typeof work>>["value"]; end: StepEnd };
      try {
        outcome = await work();
      } catch (e) {
        ended({ status: "failed", detail: e instanceof Error ? e.message : String(e) });
        throw e;
      }
      ended(outcome.end);
      return outcome.value;
    },
    async carry(work) {
      try {
        return await work();
      } catch (e) {
        if (!isDwError(e)) throw e;
        throw new DwError(e.code, e.message, { hint: e.hint, details: { ...e.details, steps: [...steps] } });
      }
    },
  };
}
