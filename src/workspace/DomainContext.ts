import type { Workspace } from "./Workspace.js";
import type { StepProgress } from "./StepProgress.js";

/**
 * What domain code (gates, data loading, runs, deployments) may touch, passed in so tests and every
 * host supply their own: the workspace, the clock, the caller's cancel signal and progress line,
 * and the folder a request's relative paths name. It holds nothing about who called or how
 * (origin, starting a server): that is the tools' context, `ToolContext`, which extends this one,
 * so a tool passes its own context straight to the domain.
 *
 * @example
 * ```ts
 * const ctx: DomainContext = { workspace: await openWorkspace("."), cwd: process.cwd(), now: () => new Date() };
 * ```
 */
export interface DomainContext {
  workspace: Workspace;
  /** Relative paths in a request (a CSV file named in SQL, a data file) resolve against this folder. */
  cwd: string;
  /** The clock, read once per record so a test can fix it. */
  now(): Date;
  /** Aborted when the caller interrupts; long work checks it and stops with INTERRUPTED. */
  signal?: AbortSignal;
  /**
   * Reports progress of long work (e.g. trees built); the kernel shows it in the cell. A multi-step
   * tool (productionize) also names the step that started or ended, for the Productionize dialog.
   */
  progress?(p: { message: string; done: number; total?: number; step?: StepProgress }): void;
}
