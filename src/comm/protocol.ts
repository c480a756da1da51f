/**
 * The messages on the Jupyter comm with target "dw", between the JupyterLab extension and the
 * kernel. Both ends validate with these schemas. This file imports nothing but zod and zod-only
 * schemas, so that the labextension can compile it too. The state the sidebar shows is the output
 * of the get_workspace_state tool (src/tools/WorkspaceState.ts): one contract for the tool and the comm.
 */
import { z } from "zod";
import { WorkspaceState } from "../tools/WorkspaceState.js";
import { MonitoringStatus } from "../monitoring/monitor/MonitoringStatus.js";
import { AbTestSummary } from "../monitoring/abtest/AbTestSummary.js";
import { RetrainOutcome, RetrainThen } from "../deployment/RetrainOutcome.js";
import { RefConflict, SyncReport } from "../sync/SyncReport.js";
import { RunSummary } from "../runs/RunSummary.js";
import { GateActivity } from "../policy/GateActivity.js";
import { NextStep } from "../deployment/NextStep.js";
import { StepProgress } from "../workspace/StepProgress.js";

export const COMM_TARGET = "dw";

export { ModelState, ModelVersionState } from "../registry/ModelState.js";
export { EndpointState, WorkspaceState } from "../tools/WorkspaceState.js";
export { RunSummary } from "../runs/RunSummary.js";
export { GateActivity, GateEvent, OverrideEvent, ApprovalEvent } from "../policy/GateActivity.js";
export { NextStep, NextStepAction } from "../deployment/NextStep.js";
export { StepProgress } from "../workspace/StepProgress.js";

export const ErrorPayload = z.object({
  code: z.string(),
  message: z.string(),
  hint: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ErrorPayload = z.infer<typeof ErrorPayload>;

export const ProductionizeResult = z.object({
  run_id: z.string(),
  model_name: z.string(),
  version: z.number().int(),
  alias: z.string(),
  endpoint_url: z.string(),
  curl: z.string(),
  /** Each step as it ended (productionize's output `steps`). */
  steps: z.array(StepProgress).optional(),
  /** The drift monitoring started with the endpoint (productionize's MonitoringStartSummary: state, version, schedule, ref). */
  monitoring: z.looseObject({ state: z.string(), ref: z.string() }).optional(),
});
export type ProductionizeResult = z.infer<typeof ProductionizeResult>;

/** Drift monitoring of one deployed alias, as get_ml_status reports it: what the sidebar's badge shows. */
export const EndpointMonitoring = z.object({
  model: z.string(),
  alias: z.string(),
  monitoring: MonitoringStatus,
  ab_test: AbTestSummary.nullable().optional(),
});
export type EndpointMonitoring = z.infer<typeof EndpointMonitoring>;

/** What the Retrain button shows when a retraining ends: retrain_model's output. */
export const RetrainResult = RetrainOutcome;
export type RetrainResult = RetrainOutcome;

/**
 * What the sidebar's Push and Pull show: push_registry's or pull_registry's report. A push refused
 * for conflicts is a CONFLICT error instead, whose `details.conflicts` lists each as a RefConflict.
 */
export const ShareResult = SyncReport;
export type ShareResult = SyncReport;
export { RefConflict };

/**
 * A notebook cell's id as nbformat 4.5 allows it: 1 to 64 letters, digits, '-' and '_'. A client
 * sends what it likes and the id ends up in a run commit, so both the execute_request's
 * `metadata.cellId` and a snapshot's `cell_id` are held to it.
 */
export const NotebookCellId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "a cell id is 1 to 64 letters, digits, '-' and '_' (nbformat 4.5)");

/**
 * The notebook as the browser has it (unsaved edits included), sent before each cell of a dw
 * notebook is executed, so the kernel, which handles shell messages in order, holds it when the
 * cell's tools run. `path` is the notebook's path relative to the Jupyter server's root; `content`
 * its nbformat JSON text, big images and widget state stripped; `cell_id` the cell scheduled.
 */
export const NotebookSnapshot = z.object({
  type: z.literal("notebook_snapshot"),
  path: z.string().min(1).max(4096),
  content: z.string().min(2),
  cell_id: NotebookCellId.optional(),
});
export type NotebookSnapshot = z.infer<typeof NotebookSnapshot>;

/** Frontend → kernel. */
export const ClientMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("get_state") }),
  NotebookSnapshot,
  z.object({
    type: z.literal("configure"),
    /** The port a dw serve this kernel starts listens on (the sidebar's Server port setting); 0: any free port. */
    serve_port: z.number().int().min(0).max(65_535),
  }),
  z.object({
    type: z.literal("productionize"),
    request_id: z.string(),
    run_id: z.string(),
    model_name: z.string().optional(),
    alias: z.string().optional(),
    /** The notebook as the frontend has it, recorded with the registration. */
    notebook: z.object({ path: z.string(), content: z.string() }).optional(),
    /** Go past a failed gate for this reason (recorded in the deployment commit with who gave it). */
    override_reason: z.string().optional(),
  }),
  z.object({
    type: z.literal("call_tool"),
    request_id: z.string(),
    /** Any tool of allTools.ts, by its wire name (train_model). */
    tool: z.string().min(1),
    /** Its input, validated by the kernel against the tool's schema. */
    input: z.record(z.string(), z.unknown()),
    notebook: z.object({ path: z.string(), content: z.string() }).optional(),
  }),
  z.object({
    type: z.literal("retrain"),
    request_id: z.string(),
    /** retrain_model's model_id: `name@alias`. */
    model_id: z.string(),
    and_then: RetrainThen.optional(),
    notebook: z.object({ path: z.string(), content: z.string() }).optional(),
  }),
  z.object({
    type: z.literal("share"),
    request_id: z.string(),
    /** push: push_registry; pull: pull_registry. */
    action: z.enum(["push", "pull"]),
    /** A remote's name from the clone's git config, or a URL or path. */
    remote: z.string().min(1),
    /** Conflicts to resolve, each a ref or model@alias: a pull takes the remote's side (take_theirs), a push keeps this clone's (take_ours). */
    take: z.array(z.string().min(1)).min(1).optional(),
  }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

/**
 * Kernel → frontend. `state` (get_workspace_state's output, with each deployment's monitoring from
 * get_ml_status, list_runs' runs, get_gate_reports' gates and suggest_next_steps' steps) is also
 * pushed, unasked, after any tool call that changes the registry. A productionize sends a
 * `productionize_step` as each step starts and ends, then one `productionize_result`; a call_tool
 * `tool_progress` lines, then one `tool_result`; a retrain sends `retrain_progress` lines while it
 * works, then one `retrain_result`; a push or pull one `share_result`.
 */
export const KernelMessage = z.union([
  z.object({
    type: z.literal("state"),
    state: WorkspaceState,
    monitoring: z.array(EndpointMonitoring).optional(),
    /** list_runs' newest runs. */
    runs: z.array(RunSummary).optional(),
    /** get_gate_reports' output. */
    gates: GateActivity.optional(),
    /** suggest_next_steps' steps. */
    next_steps: z.array(NextStep).optional(),
  }),
  z.object({ type: z.literal("productionize_step"), request_id: z.string(), step: StepProgress }),
  z.object({ type: z.literal("tool_progress"), request_id: z.string(), message: z.string(), step: StepProgress.optional() }),
  z.object({ type: z.literal("tool_result"), request_id: z.string(), tool: z.string(), ok: z.literal(true), output: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal("tool_result"), request_id: z.string(), tool: z.string(), ok: z.literal(false), error: ErrorPayload }),
  z.object({ type: z.literal("productionize_result"), request_id: z.string(), ok: z.literal(true), result: ProductionizeResult }),
  z.object({ type: z.literal("productionize_result"), request_id: z.string(), ok: z.literal(false), error: ErrorPayload }),
  z.object({ type: z.literal("retrain_progress"), request_id: z.string(), message: z.string() }),
  z.object({ type: z.literal("retrain_result"), request_id: z.string(), ok: z.literal(true), result: RetrainResult }),
  z.object({ type: z.literal("retrain_result"), request_id: z.string(), ok: z.literal(false), error: ErrorPayload }),
  z.object({ type: z.literal("share_result"), request_id: z.string(), ok: z.literal(true), result: ShareResult }),
  z.object({ type: z.literal("share_result"), request_id: z.string(), ok: z.literal(false), error: ErrorPayload }),
  z.object({ type: z.literal("error"), error: ErrorPayload }),
]);
export type KernelMessage = z.infer<typeof KernelMessage>;

/** MIME type of a tool result in a cell's outputs; the Productionize button looks for `run_id` in it. */
export const DW_RESULT_MIME = "application/vnd.dw.result+json";
export const DwResultBundle = z.object({ tool: z.string(), output: z.record(z.string(), z.unknown()) });
export type DwResultBundle = z.infer<typeof DwResultBundle>;
