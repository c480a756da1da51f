import { Token } from "@lumino/coreutils";
import type { ISignal } from "@lumino/signaling";
import type {
  EndpointMonitoring,
  ErrorPayload,
  GateActivity,
  NextStep,
  ProductionizeResult,
  RetrainResult,
  RunSummary,
  ShareResult,
  StepProgress,
  WorkspaceState,
} from "../../src/comm/protocol.js";

/** The kernel name whose kernels speak the dw comm protocol. */
export const DW_KERNEL_NAME = "dw";

/** Where the comm to the current notebook's kernel stands. */
export type DwConnection =
  | { kind: "no-notebook" }
  /** `kernelDisplayName` is empty while the notebook has no kernel. */
  | { kind: "other-kernel"; kernelDisplayName: string }
  | { kind: "connecting" }
  | { kind: "connected" }
  | { kind: "failed"; message: string };

export interface ProductionizeRequest {
  run_id: string;
  model_name?: string;
  alias?: string;
  notebook?: { path: string; content: string };
  /** Go past a failed gate for this reason (recorded with who gave it). */
  override_reason?: string;
}

/** A tool call from the sidebar (a Tools panel form, a Next steps button, an alias move). */
export interface ToolCallRequest {
  /** The tool's wire name, e.g. train_model. */
  tool: string;
  input: Record<string, unknown>;
  notebook?: { path: string; content: string };
}

export type ToolCallOutcome = { ok: true; tool: string; output: Record<string, unknown> } | { ok: false; tool: string; error: ErrorPayload };

/** A progress line of a tool call, with the step that started or ended for multi-step tools. */
export interface ToolProgress {
  message: string;
  step?: StepProgress;
}

export type ProductionizeOutcome = { ok: true; result: ProductionizeResult } | { ok: false; error: ErrorPayload };

export interface RetrainRequest {
  /** `model@alias`: the deployment to retrain. */
  model_id: string;
  and_then?: "compare" | "ab_test" | "none";
  notebook?: { path: string; content: string };
}

export type RetrainOutcome = { ok: true; result: RetrainResult } | { ok: false; error: ErrorPayload };

/** A retraining started from this session, by `model@alias`: running (with its last progress line) or ended. */
export type RetrainActivity = { state: "running"; progress: string } | { state: "done"; result: RetrainResult } | { state: "failed"; error: ErrorPayload };

/** A push or pull of the team registry (push_registry / pull_registry) from the sidebar. */
export interface ShareRequest {
  action: "push" | "pull";
  /** A remote's name from the clone's git config (origin), or a URL or path. */
  remote: string;
  /** Conflicts to resolve (a ref, or model@alias): a pull takes the remote's side, a push keeps this clone's. */
  take?: string[];
}

export type ShareOutcome = { ok: true; result: ShareResult } | { ok: false; error: ErrorPayload };

/** The last push or pull started from this session: running, or how it ended. */
export type ShareActivity =
  | { state: "running"; request: ShareRequest }
  | { state: "done"; request: ShareRequest; result: ShareResult }
  | { state: "failed"; request: ShareRequest; error: ErrorPayload };

/**
 * The dw comm client of the current notebook: it follows the active notebook and its kernel
 * (restarts and kernel changes included) and holds the last workspace state the kernel pushed.
 */
export interface IDwClient {
  readonly connection: DwConnection;
  readonly state: WorkspaceState | null;
  /** The curl examples of endpoints productionized in this session, keyed by `model@alias`. */
  readonly curlExamples: ReadonlyMap<string, string>;
  /** Each deployment's drift monitoring, by `model@alias`, from the kernel's last state. */
  readonly monitoring: ReadonlyMap<string, EndpointMonitoring>;
  /** Retrainings started in this session, by `model@alias`. */
  readonly retrains: ReadonlyMap<string, RetrainActivity>;
  /** The last push or pull of the team registry started from this session; null before any. */
  readonly sharing: ShareActivity | null;
  /** The newest runs (list_runs) from the kernel's last state; null when it had none. */
  readonly runs: readonly RunSummary[] | null;
  /** The gates' newest reports, overrides and approvals (get_gate_reports); null when it had none. */
  readonly gates: GateActivity | null;
  /** What the agent proposes next (suggest_next_steps); null when it had none. */
  readonly nextSteps: readonly NextStep[] | null;
  /** Emitted when `connection`, `state` (and its runs, gates, next steps), `monitoring`, `retrains`, `sharing` or `curlExamples` change. */
  readonly changed: ISignal<IDwClient, void>;
  /** Asks the kernel for a fresh `state`. */
  refresh(): void;
  /** The port a dw serve the kernel starts listens on (0: any free port); sent now and on every (re)connect. */
  setServePort(port: number): void;
  /** Sends `productionize` and resolves with the kernel's `productionize_result`; `onStep` hears each step as it starts and ends. */
  productionize(request: ProductionizeRequest, onStep?: (step: StepProgress) => void): Promise<ProductionizeOutcome>;
  /** Calls any tool in the kernel (`call_tool`) and resolves with its output or its error; `onProgress` hears its progress lines. */
  callTool(request: ToolCallRequest, onProgress?: (progress: ToolProgress) => void): Promise<ToolCallOutcome>;
  /** Sends `retrain`, follows its progress in `retrains`, and resolves with the kernel's `retrain_result`. */
  retrain(request: RetrainRequest): Promise<RetrainOutcome>;
  /** Sends `share` (one at a time: refused while one runs), follows it in `sharing`, and resolves with the kernel's `share_result`. */
  share(request: ShareRequest): Promise<ShareOutcome>;
}

export const IDwClient = new Token<IDwClient>("dw-labextension:IDwClient", "The dw comm client of the current notebook's kernel.");
