import type { INotebookTracker, NotebookPanel } from "@jupyterlab/notebook";
import type { ISessionContext } from "@jupyterlab/apputils";
import type { Kernel } from "@jupyterlab/services";
import { Signal } from "@lumino/signaling";
import type { ISignal } from "@lumino/signaling";
import type { EndpointMonitoring, GateActivity, KernelMessage, NextStep, RunSummary, StepProgress, WorkspaceState } from "../../../src/comm/protocol.js";
import { DW_KERNEL_NAME } from "../tokens.js";
import type {
  DwConnection,
  IDwClient,
  ProductionizeOutcome,
  ProductionizeRequest,
  RetrainActivity,
  RetrainOutcome,
  RetrainRequest,
  ShareActivity,
  ShareOutcome,
  ShareRequest,
  ToolCallOutcome,
  ToolCallRequest,
  ToolProgress,
} from "../tokens.js";
import { KernelComm } from "./KernelComm.js";
import { notConnectedMessage } from "./notConnectedMessage.js";
import { PendingRequests } from "./PendingRequests.js";

/** After this many comms closed by the kernel in a row, stop re-opening until the kernel changes. */
const MAX_REOPENS = 3;

/**
 * Follows the current notebook of `tracker` and keeps one dw comm open to its kernel when that
 * kernel is a dw kernel. A restart disposes every comm in the kernel connection, so the comm is
 * re-opened when the kernel is idle again; a kernel change re-opens it on the new kernel.
 */
export class DwClient implements IDwClient {
  private panel: NotebookPanel | null = null;
  private kernel: Kernel.IKernelConnection | null = null;
  private comm: KernelComm | null = null;
  private closesInARow = 0;
  private readonly pending = new PendingRequests<ProductionizeOutcome>();
  /** Who hears each waiting productionize's steps, by request id. */
  private readonly stepListeners = new Map<string, (step: StepProgress) => void>();
  private readonly pendingTools = new PendingRequests<ToolCallOutcome>();
  private readonly toolListeners = new Map<string, (progress: ToolProgress) => void>();
  private _runs: readonly RunSummary[] | null = null;
  private _gates: GateActivity | null = null;
  private _nextSteps: readonly NextStep[] | null = null;
  /** The Server port setting; null until the settings are read (the kernel's default stands). */
  private servePort: number | null = null;
  private readonly pendingRetrains = new PendingRequests<RetrainOutcome>();
  /** The endpoint (`model@alias`) each waiting retrain is for, by request id. */
  private readonly retrainKeys = new Map<string, string>();
  private readonly _retrains = new Map<string, RetrainActivity>();
  private readonly pendingShares = new PendingRequests<ShareOutcome>();
  private _sharing: ShareActivity | null = null;
  private _monitoring = new Map<string, EndpointMonitoring>();
  private readonly _changed = new Signal<IDwClient, void>(this);
  private readonly _curlExamples = new Map<string, string>();
  private _connection: DwConnection = { kind: "no-notebook" };
  private _state: WorkspaceState | null = null;

  constructor(tracker: INotebookTracker) {
    tracker.currentChanged.connect((_, panel) => this.follow(panel));
    this.follow(tracker.currentWidget);
  }

  get connection(): DwConnection {
    return this._connection;
  }

  get state(): WorkspaceState | null {
    return this._state;
  }

  get curlExamples(): ReadonlyMap<string, string> {
    return this._curlExamples;
  }

  get runs(): readonly RunSummary[] | null {
    return this._runs;
  }

  get gates(): GateActivity | null {
    return this._gates;
  }

  get nextSteps(): readonly NextStep[] | null {
    return this._nextSteps;
  }

  get monitoring(): ReadonlyMap<string, EndpointMonitoring> {
    return this._monitoring;
  }

  get retrains(): ReadonlyMap<string, RetrainActivity> {
    return this._retrains;
  }

  get sharing(): ShareActivity | null {
    return this._sharing;
  }

  get changed(): ISignal<IDwClient, void> {
    return this._changed;
  }

  setServePort(port: number): void {
    this.servePort = port;
    if (this.comm?.isOpen) this.comm.send({ type: "configure", serve_port: port });
  }

  refresh(): void {
    if (this.comm?.isOpen) {
      this.comm.send({ type: "get_state" });
    } else {
      this.closesInARow = 0;
      this.connect();
    }
  }

  productionize(request: ProductionizeRequest, onStep?: (step: StepProgress) => void): Promise<ProductionizeOutcome> {
    const comm = this.comm;
    if (!comm?.isOpen) {
      return Promise.reject(new Error(notConnectedMessage(this._connection)));
    }
    const { id, answer } = this.pending.open();
    if (onStep) this.stepListeners.set(id, onStep);
    comm.send({ type: "productionize", request_id: id, ...request });
    const forget = () => this.stepListeners.delete(id);
    answer.then(forget, forget);
    return answer;
  }

  callTool(request: ToolCallRequest, onProgress?: (progress: ToolProgress) => void): Promise<ToolCallOutcome> {
    const comm = this.comm;
    if (!comm?.isOpen) {
      return Promise.reject(new Error(notConnectedMessage(this._connection)));
    }
    const { id, answer } = this.pendingTools.open();
    if (onProgress) this.toolListeners.set(id, onProgress);
    comm.send({ type: "call_tool", request_id: id, ...request });
    const forget = () => this.toolListeners.delete(id);
    answer.then(forget, forget);
    return answer;
  }

  retrain(request: RetrainRequest): Promise<RetrainOutcome> {
    const comm = this.comm;
    if (!comm?.isOpen) {
      return Promise.reject(new Error(notConnectedMessage(this._connection)));
    }
    const { id, answer } = this.pendingRetrains.open();
    const key = request.model_id;
    this.retrainKeys.set(id, key);
    this._retrains.set(key, { state: "running", progress: "starting…" });
    this._changed.emit();
    comm.send({ type: "retrain", request_id: id, ...request });
    // Whatever ends it (its result, a restart, a closed comm), the endpoint's entry says so.
    return answer.then(
      (outcome) => {
        this.endRetrain(id, outcome.ok ? { state: "done", result: outcome.result } : { state: "failed", error: outcome.error });
        return outcome;
      },
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        this.endRetrain(id, { state: "failed", error: { code: "NOT_CONNECTED", message } });
        throw error;
      },
    );
  }

  share(request: ShareRequest): Promise<ShareOutcome> {
    const comm = this.comm;
    if (!comm?.isOpen) {
      return Promise.reject(new Error(notConnectedMessage(this._connection)));
    }
    // One at a time: two syncs of one clone would race for the same refs and base.
    if (this._sharing?.state === "running") {
      return Promise.reject(new Error(`A ${this._sharing.request.action} to ${this._sharing.request.remote} is still running: wait for it to end.`));
    }
    const { id, answer } = this.pendingShares.open();
    const activity: ShareActivity = { state: "running", request };
    this._sharing = activity;
    this._changed.emit();
    comm.send({ type: "share", request_id: id, ...request });
    const end = (next: ShareActivity) => {
      // A newer push or pull (after a kernel change) owns the entry now.
      if (this._sharing !== activity) return;
      this._sharing = next;
      this._changed.emit();
    };
    return answer.then(
      (outcome) => {
        end(outcome.ok ? { state: "done", request, result: outcome.result } : { state: "failed", request, error: outcome.error });
        return outcome;
      },
      (error: unknown) => {
        end({ state: "failed", request, error: { code: "NOT_CONNECTED", message: error instanceof Error ? error.message : String(error) } });
        throw error;
      },
    );
  }

  private endRetrain(id: string, activity: RetrainActivity): void {
    const key = this.retrainKeys.get(id);
    this.retrainKeys.delete(id);
    if (key === undefined) return;
    this._retrains.set(key, activity);
    this._changed.emit();
  }

  private follow(panel: NotebookPanel | null): void {
    if (panel === this.panel) return;
    if (this.panel) {
      const ctx = this.panel.sessionContext;
      ctx.kernelChanged.disconnect(this.onKernelChanged, this);
      ctx.statusChanged.disconnect(this.onStatusChanged, this);
    }
    this.panel = panel;
    this.closesInARow = 0;
    if (panel) {
      const ctx = panel.sessionContext;
      ctx.kernelChanged.connect(this.onKernelChanged, this);
      ctx.statusChanged.connect(this.onStatusChanged, this);
      panel.disposed.connect(() => {
        if (this.panel === panel) this.follow(null);
      });
    }
    this.connect();
  }

  private onKernelChanged(): void {
    this.closesInARow = 0;
    this.connect();
  }

  private onStatusChanged(_: ISessionContext, status: Kernel.Status): void {
    if (status === "restarting" || status === "autorestarting" || status === "dead") {
      this.dropComm("The kernel restarted before it answered. Run the training cell again, then Productionize.");
      if (this.kernel?.name === DW_KERNEL_NAME) this.setConnection({ kind: "connecting" });
    } else if (status === "idle" && !this.comm?.isOpen && this.closesInARow < MAX_REOPENS) {
      this.connect();
    }
  }

  /** (Re)opens the comm for the current panel's kernel, or says why there is none. */
  private connect(): void {
    this.dropComm("The notebook's kernel changed before it answered.");
    const panel = this.panel;
    if (!panel) {
      this.kernel = null;
      this.setState(null);
      this.setConnection({ kind: "no-notebook" });
      return;
    }
    const kernel = panel.sessionContext.session?.kernel ?? null;
    if (kernel !== this.kernel) {
      // Another kernel may serve another workspace: its registry's last push or pull is not this one's.
      if (this._sharing?.state !== "running") this._sharing = null;
      this.setState(null);
    }
    this.kernel = kernel;
    if (!kernel || kernel.name !== DW_KERNEL_NAME) {
      this.setConnection({
        kind: "other-kernel",
        kernelDisplayName: kernel ? panel.sessionContext.kernelDisplayName : "",
      });
      return;
    }
    this.setConnection({ kind: "connecting" });
    let comm: KernelComm;
    try {
      comm = new KernelComm(kernel, {
        onMessage: (message) => {
          if (this.comm !== comm) return;
          this.closesInARow = 0;
          this.setConnection({ kind: "connected" });
          this.handle(message);
        },
        onInvalid: (problem) => {
          console.warn(`dw: ignored a comm message that does not match the protocol (${problem})`);
        },
        onClose: () => {
          if (this.comm !== comm) return;
          this.comm = null;
          this.closesInARow += 1;
          this.rejectPending("The dw kernel closed the comm before it answered.");
          this.setConnection({
            kind: "failed",
            message: 'The kernel closed the "dw" comm. Restart the kernel; if it persists, the kernel may not support the dw sidebar.',
          });
        },
      });
    } catch (error) {
      this.setConnection({ kind: "failed", message: `Could not open the dw comm: ${String(error)}` });
      return;
    }
    this.comm = comm;
    if (this.servePort !== null) comm.send({ type: "configure", serve_port: this.servePort });
    comm.send({ type: "get_state" });
  }

  private handle(message: KernelMessage): void {
    switch (message.type) {
      case "state":
        this._monitoring = new Map((message.monitoring ?? []).map((m) => [`${m.model}@${m.alias}`, m]));
        this._runs = message.runs ?? null;
        this._gates = message.gates ?? null;
        this._nextSteps = message.next_steps ?? null;
        this.setState(message.state);
        return;
      case "productionize_step":
        this.stepListeners.get(message.request_id)?.(message.step);
        return;
      case "tool_progress":
        this.toolListeners.get(message.request_id)?.(message.step ? { message: message.message, step: message.step } : { message: message.message });
        return;
      case "tool_result":
        if (message.ok) this.pendingTools.settle(message.request_id, { ok: true, tool: message.tool, output: message.output });
        else this.pendingTools.settle(message.request_id, { ok: false, tool: message.tool, error: message.error });
        return;
      case "retrain_progress": {
        const key = this.retrainKeys.get(message.request_id);
        if (key === undefined) return;
        this._retrains.set(key, { state: "running", progress: message.message });
        this._changed.emit();
        return;
      }
      case "retrain_result":
        if (message.ok) this.pendingRetrains.settle(message.request_id, { ok: true, result: message.result });
        else this.pendingRetrains.settle(message.request_id, { ok: false, error: message.error });
        return;
      case "share_result":
        if (message.ok) this.pendingShares.settle(message.request_id, { ok: true, result: message.result });
        else this.pendingShares.settle(message.request_id, { ok: false, error: message.error });
        return;
      case "productionize_result": {
        if (!this.pending.has(message.request_id)) return;
        if (message.ok) {
          const { model_name, alias, curl } = message.result;
          this._curlExamples.set(`${model_name}@${alias}`, curl);
          this._changed.emit();
          this.pending.settle(message.request_id, { ok: true, result: message.result });
        } else {
          this.pending.settle(message.request_id, { ok: false, error: message.error });
        }
        return;
      }
      case "error":
        console.warn(`dw: the kernel reported ${message.error.code}: ${message.error.message}`);
        return;
    }
  }

  private dropComm(reason: string): void {
    this.comm?.dispose();
    this.comm = null;
    this.rejectPending(reason);
  }

  private rejectPending(reason: string): void {
    this.pending.rejectAll(reason);
    this.pendingRetrains.rejectAll(reason);
    this.pendingShares.rejectAll(reason);
    this.pendingTools.rejectAll(reason);
  }

  private setConnection(connection: DwConnection): void {
    this._connection = connection;
    this._changed.emit();
  }

  private setState(state: WorkspaceState | null): void {
    if (state === null) {
      this._monitoring = new Map();
      this._runs = null;
      this._gates = null;
      this._nextSteps = null;
    }
    this._state = state;
    this._changed.emit();
  }
}
