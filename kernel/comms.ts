import { ClientMessage, COMM_TARGET, KernelMessage, ProductionizeResult, WorkspaceState } from "../src/comm/protocol.js";
import { runTool, type ToolContext } from "../src/index.js";
import type { ToolCaller } from "./createToolCaller.js";
import type { Outputs } from "./outputs.js";
import type { JupyterMessage } from "./jupyterProtocol/message.js";

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
    // The sidebar's state is the get_workspace_state tool's output, as the CLI and an agent get it.
    const result = await runTool("get_workspace_state", {}, ctx ?? (() => deps.caller.context()));
    return result.ok ? { type: "state", state: WorkspaceState.parse(result.output) } : { type: "error", error: result.error };
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
            hint: "Send {type: 'get_state'} or {type: 'productionize', request_id, run_id}.",
          },
        },
        parent,
      );
      return;
    }
    const m = parsed.data;
    if (m.type === "get_state") {
      send(commId, await state(), parent);
      return;
    }
    const input: Record<string, unknown> = { run_id: m.run_id };
    if (m.model_name !== undefined) input.model_name = m.model_name;
    if (m.alias !== undefined) input.alias = m.alias;
    const result = await deps.caller.call("productionize", input, { notebook: m.notebook, cell: "" });
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
