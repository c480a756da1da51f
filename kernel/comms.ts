import {
  ClientMessage,
  COMM_TARGET,
  KernelMessage,
  ProductionizeResult,
  RetrainResult,
  ShareResult,
  WorkspaceState,
  type EndpointMonitoring,
} from "../src/comm/protocol.js";
import { runTool, type ToolContext } from "../src/index.js";
import { GetMlStatusOutput } from "../src/tools/getMlStatus.js";
import type { ToolCaller } from "./createToolCaller.js";
import type { BrowserNotebook } from "./browserNotebook.js";
import type { Outputs } from "./outputs.js";
import type { JupyterMessage } from "./jupyterProtocol/message.js";
import { z } from "zod";
import { GateActivity, NextStep, RunSummary } from "../src/comm/protocol.js";

/** How many of the newest runs the sidebar's Runs panel gets. */
const RUNS_SHOWN = 20;
const ListedRuns = z.object({ runs: z.array(RunSummary) });
const SuggestedSteps = z.object({ steps: z.array(NextStep) });

/**
 * Comms with target "dw": the sidebar and the Productionize button talk to the kernel here.
 * Messages both ways are validated with the schemas in src/comm/protocol.ts. Comms for any other
 * target are closed at once, as Jupyter expects of a kernel that has no such target.
 */
export interface Comms {
  open(msg: JupyterMessage): Promise<void>;
  message(msg: JupyterMessage): Promise<void>;
  close(msg: JupyterMessage): void;
  /** comm_info_reply's `comms`, optionally only those of one target. */
  info(target?: string): Record<string, { target_name: string }>;
  /** Sends fresh registry state to every open dw comm. */
  pushState(ctx?: ToolContext): Promise<void>;
}

export interface CommsDeps {
  outputs: Outputs;
  caller: ToolCaller;
  log(message: string): void;
  /** Where `notebook_snapshot` messages go; without it they are ignored. */
  browserNotebook?: BrowserNotebook;
}

export function createComms(deps: CommsDeps): Comms {
  const open = new Set<string>();

  const send = (commId: string, message: KernelMessage, parent?: JupyterMessage) => {
    const checked = KernelMessage.safeParse(message);
    const data = checked.success
      ? checked.data
      : {
          type: "error",
          error: {
            code: "INTERNAL",
            message: `the kernel built an invalid ${message.type} message: ${checked.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
          },
        };
    deps.outputs.publish("comm_msg", { comm_id: commId, data }, parent);
  };

  const state = async (ctx?: ToolContext): Promise<KernelMessage> => {
    // The sidebar's state is the get_workspace_state tool's output, as the CLI and an agent get it,
    // with the panels' parts from their own tools (an agent calls the same ones).
    const result = await runTool("get_workspace_state", {}, ctx ?? (() => deps.caller.context()));
    if (!result.ok) return { type: "error", error: result.error };
    const monitoring = await monitoringOf(ctx);
    const runs = await partOf("list_runs", { limit: RUNS_SHOWN }, ListedRuns, ctx);
    const gates = await partOf("get_gate_reports", {}, GateActivity, ctx);
    const steps = await partOf("suggest_next_steps", {}, SuggestedSteps, ctx);
    return {
      type: "state",
      state: WorkspaceState.parse(result.output),
      ...(monitoring ? { monitoring } : {}),
      ...(runs ? { runs: runs.runs } : {}),
      ...(gates ? { gates } : {}),
      ...(steps ? { next_steps: steps.steps } : {}),
    };
  };

  // One part of the sidebar's state from its tool; a part that cannot be read is left out (and
  // logged) rather than failing the whole state, as the monitoring badges are.
  const partOf = async <T>(tool: string, input: Record<string, unknown>, schema: z.ZodType<T>, ctx?: ToolContext): Promise<T | undefined> => {
    const result = await runTool(tool, input, ctx ?? (() => deps.caller.context()));
    if (!result.ok) {
      deps.log(`${tool} left out of the sidebar's state: ${result.error.code}: ${result.error.message}`);
      return undefined;
    }
    const parsed = schema.safeParse(result.output);
    if (!parsed.success) deps.log(`${tool} left out of the sidebar's state: its output does not match the comm protocol`);
    return parsed.success ? parsed.data : undefined;
  };

  // Each deployment's drift monitoring, as get_ml_status reports it (the sidebar's badge); a
  // status that cannot be read leaves the badges out rather than failing the state.
  const monitoringOf = async (ctx?: ToolContext): Promise<EndpointMonitoring[] | undefined> => {
    const result = await runTool("get_ml_status", {}, ctx ?? (() => deps.caller.context()));
    if (!result.ok) {
      deps.log(`monitoring state left out of the sidebar's state: ${result.error.code}: ${result.error.message}`);
      return undefined;
    }
    const status = GetMlStatusOutput.parse(result.output);
    return status.deployments.map((d) => ({ model: d.model, alias: d.alias, monitoring: d.monitoring, ab_test: d.ab_test }));
  };

  // retrain_model for the sidebar's Retrain button: its progress lines go to the comm as they come
  // (the kernel answers nothing else until the retraining ends), then its result.
  const retrain = async (commId: string, m: Extract<ClientMessage, { type: "retrain" }>, parent: JupyterMessage) => {
    const input: Record<string, unknown> = { model_id: m.model_id };
    if (m.and_then !== undefined) input.and_then = m.and_then;
    const result = await deps.caller.call("retrain_model", input, {
      notebook: m.notebook,
      cell: "",
      progress: ({ message }) => send(commId, { type: "retrain_progress", request_id: m.request_id, message }, parent),
    });
    if (!result.ok) {
      send(commId, { type: "retrain_result", request_id: m.request_id, ok: false, error: result.error }, parent);
      return;
    }
    const picked = RetrainResult.safeParse(result.output);
    send(
      commId,
      picked.success
        ? { type: "retrain_result", request_id: m.request_id, ok: true, result: picked.data }
        : { type: "retrain_result", request_id: m.request_id, ok: false, error: { code: "INTERNAL", message: "retrain_model returned an unexpected result" } },
      parent,
    );
  };

  // push_registry / pull_registry for the sidebar's Team registry: the report, or the tool's error
  // whole (a push's CONFLICT lists both sides of each conflict in its details). The conflicts a
  // message names are taken from the side its action moves: a pull takes theirs, a push keeps ours.
  const share = async (commId: string, m: Extract<ClientMessage, { type: "share" }>, parent: JupyterMessage) => {
    const input: Record<string, unknown> = { remote: m.remote };
    if (m.take !== undefined) input[m.action === "push" ? "take_ours" : "take_theirs"] = m.take;
    const result = await deps.caller.call(m.action === "push" ? "push_registry" : "pull_registry", input, { cell: "" });
    if (!result.ok) {
      send(commId, { type: "share_result", request_id: m.request_id, ok: false, error: result.error }, parent);
      return;
    }
    const report = ShareResult.safeParse(result.output);
    send(
      commId,
      report.success
        ? { type: "share_result", request_id: m.request_id, ok: true, result: report.data }
        : { type: "share_result", request_id: m.request_id, ok: false, error: { code: "INTERNAL", message: `${result.tool} returned an unexpected result` } },
      parent,
    );
  };

  // Any tool for the sidebar (a Tools panel form, a Next steps button, an alias move): its progress
  // lines as they come, then its output or its error whole. The kernel validates the input against
  // the tool's schema, as for a %dw line; a tool that writes or serves pushes fresh state after.
  const callTool = async (commId: string, m: Extract<ClientMessage, { type: "call_tool" }>, parent: JupyterMessage) => {
    const result = await deps.caller.call(m.tool, m.input, {
      notebook: m.notebook,
      cell: "",
      progress: ({ message, step }) => send(commId, { type: "tool_progress", request_id: m.request_id, message, ...(step ? { step } : {}) }, parent),
    });
    send(
      commId,
      result.ok
        ? { type: "tool_result", request_id: m.request_id, tool: result.tool, ok: true, output: result.output }
        : { type: "tool_result", request_id: m.request_id, tool: result.tool, ok: false, error: result.error },
      parent,
    );
  };

  const handle = async (commId: string, data: unknown, parent: JupyterMessage) => {
    const parsed = ClientMessage.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      send(
        commId,
        {
          type: "error",
          error: {
            code: "INVALID_INPUT",
            message: `invalid dw comm message: ${issue ? `${issue.path.join(".") || "(message)"}: ${issue.message}` : parsed.error.message}`,
            hint: "Send {type: 'get_state'}, {type: 'notebook_snapshot', path, content, cell_id?}, {type: 'configure', serve_port}, {type: 'productionize', request_id, run_id}, {type: 'call_tool', request_id, tool, input}, {type: 'retrain', request_id, model_id} or {type: 'share', request_id, action: 'push'|'pull', remote}.",
          },
        },
        parent,
      );
      return;
    }
    const m = parsed.data;
    if (m.type === "notebook_snapshot") {
      // No answer: the extension sends one before each cell and waits for nothing. One the kernel
      // cannot use is logged, and the run falls back to the file on disk.
      const held = await deps.browserNotebook?.receive(m);
      if (held && !held.kept) deps.log(`notebook snapshot ignored: ${held.reason}`);
      return;
    }
    if (m.type === "get_state") {
      send(commId, await state(), parent);
      return;
    }
    if (m.type === "configure") {
      // ensureServer reads it when it starts a dw serve; one that already runs keeps its port.
      if (m.serve_port === 0) delete process.env.DW_SERVE_PORT;
      else process.env.DW_SERVE_PORT = String(m.serve_port);
      return;
    }
    if (m.type === "retrain") {
      await retrain(commId, m, parent);
      return;
    }
    if (m.type === "share") {
      await share(commId, m, parent);
      return;
    }
    if (m.type === "call_tool") {
      await callTool(commId, m, parent);
      return;
    }
    const input: Record<string, unknown> = { run_id: m.run_id };
    if (m.model_name !== undefined) input.model_name = m.model_name;
    if (m.alias !== undefined) input.alias = m.alias;
    if (m.override_reason !== undefined) input.override_reason = m.override_reason;
    // Each step as it starts and ends goes to the Productionize dialog as it happens.
    const result = await deps.caller.call("productionize", input, {
      notebook: m.notebook,
      cell: "",
      progress: ({ step }) => {
        if (step) send(commId, { type: "productionize_step", request_id: m.request_id, step }, parent);
      },
    });
    if (result.ok) {
      const picked = ProductionizeResult.safeParse(result.output);
      if (picked.success) {
        send(commId, { type: "productionize_result", request_id: m.request_id, ok: true, result: picked.data }, parent);
        return;
      }
      send(
        commId,
        {
          type: "productionize_result",
          request_id: m.request_id,
          ok: false,
          error: { code: "INTERNAL", message: "productionize returned an unexpected result" },
        },
        parent,
      );
      return;
    }
    send(commId, { type: "productionize_result", request_id: m.request_id, ok: false, error: result.error }, parent);
  };

  return {
    async open(msg) {
      const { comm_id: commId, target_name: target, data } = msg.content as { comm_id?: string; target_name?: string; data?: unknown };
      if (typeof commId !== "string") return;
      if (target !== COMM_TARGET) {
        deps.log(`closing comm ${commId}: no comm target '${String(target)}'`);
        deps.outputs.publish("comm_close", { comm_id: commId, data: {} }, msg);
        return;
      }
      open.add(commId);
      if (data && typeof data === "object" && "type" in data) await handle(commId, data, msg);
    },
    async message(msg) {
      const { comm_id: commId, data } = msg.content as { comm_id?: string; data?: unknown };
      if (typeof commId !== "string" || !open.has(commId)) {
        deps.log(`comm_msg for unknown comm ${String(commId)}`);
        return;
      }
      await handle(commId, data, msg);
    },
    close(msg) {
      const { comm_id: commId } = msg.content as { comm_id?: string };
      if (typeof commId === "string") open.delete(commId);
    },
    info(target) {
      if (target !== undefined && target !== COMM_TARGET) return {};
      return Object.fromEntries([...open].map((id) => [id, { target_name: COMM_TARGET }]));
    },
    async pushState(ctx) {
      if (open.size === 0) return;
      const message = await state(ctx);
      for (const id of open) send(id, message);
    },
  };
}
