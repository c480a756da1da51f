import type { Comms } from "./comms.js";
import type { Outputs } from "./outputs.js";
import type { Channels, RequestChannel } from "./jupyterProtocol/channels.js";
import type { JupyterMessage } from "./jupyterProtocol/message.js";

type Reply = Record<string, unknown>;
/** Returns the reply content, or undefined for messages that get no reply (comm_open, comm_msg, ...). */
type Handler = (msg: JupyterMessage) => Reply | undefined | Promise<Reply | undefined>;

export interface KernelDeps {
  channels: Channels;
  outputs: Outputs;
  comms: Comms;
  /** Stops the running cell (and the tool call it awaits). */
  interrupt(): void;
  kernelInfo: Reply;
  execute(msg: JupyterMessage): Promise<Reply>;
  complete(content: Record<string, unknown>): Reply | Promise<Reply>;
  inspect(content: Record<string, unknown>): Reply;
  isComplete(content: Record<string, unknown>): Reply;
  history(content: Record<string, unknown>): Reply;
  shutdown(restart: boolean): void;
  log(message: string): void;
  /** Work that must end before the kernel reports idle after a shell request (folding logged metrics). */
  beforeIdle?(): Promise<void>;
}

/**
 * Message dispatch: which handler answers which msg_type, `status` busy/idle around every
 * request, and one place that turns a handler's crash into an error reply so the kernel keeps
 * running. Shell requests run one at a time, in order; control requests (interrupt, shutdown)
 * are answered at once, even while a cell awaits.
 */
export function createKernel(deps: KernelDeps) {
  const { channels, outputs } = deps;
  const handlers: Record<string, Handler> = {
    kernel_info_request: () => deps.kernelInfo,
    execute_request: (m) => deps.execute(m),
    complete_request: (m) => deps.complete(m.content),
    inspect_request: (m) => deps.inspect(m.content),
    is_complete_request: (m) => deps.isComplete(m.content),
    history_request: (m) => deps.history(m.content),
    comm_info_request: (m) => ({ status: "ok", comms: deps.comms.info((m.content as { target_name?: string }).target_name) }),
    comm_open: async (m) => {
      await deps.comms.open(m);
      return undefined;
    },
    comm_msg: async (m) => {
      await deps.comms.message(m);
      return undefined;
    },
    comm_close: (m) => {
      deps.comms.close(m);
      return undefined;
    },
    interrupt_request: () => {
      deps.interrupt();
      return { status: "ok" };
    },
    shutdown_request: (m) => {
      const restart = Boolean((m.content as { restart?: boolean }).restart);
      setImmediate(() => deps.shutdown(restart));
      return { status: "ok", restart };
    },
  };

  const status = (state: "busy" | "idle" | "starting", parent?: JupyterMessage) =>
    channels.publish(channels.messages.create("status", { execution_state: state }, parent));

  // After a cell fails, cells queued behind it are aborted, not run (stop_on_error, as ipykernel
  // does), so "Run all" stops at the first error. Requests are numbered as they arrive.
  let received = 0;
  let abortThrough = 0;

  const run = async (channel: RequestChannel, msg: JupyterMessage, seq = 0) => {
    const type = msg.header.msg_type;
    const handler = handlers[type];
    if (!handler) {
      deps.log(`ignoring ${type} on ${channel}: not supported`);
      return;
    }
    status("busy", msg);
    try {
      if (type === "execute_request" && seq <= abortThrough) {
        channels.send(channel, channels.messages.create("execute_reply", { status: "aborted" }, msg));
        return;
      }
      const reply = await handler(msg);
      if (reply) channels.send(channel, channels.messages.create(type.replace(/_request$/, "_reply"), reply, msg));
      if (type === "execute_request" && reply?.status === "error" && (msg.content as { stop_on_error?: boolean }).stop_on_error !== false) {
        abortThrough = received;
      }
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      deps.log(`${type} failed: ${err.stack ?? err.message}`);
      if (type.endsWith("_request")) {
        const content = { status: "error", ename: "KernelError", evalue: `the kernel failed to handle ${type}: ${err.message}`, traceback: [] };
        channels.send(channel, channels.messages.create(type.replace(/_request$/, "_reply"), content, msg));
      }
    } finally {
      if (channel === "shell" && deps.beforeIdle) {
        await deps.beforeIdle().catch((e: Error) => deps.log(`after ${type}: ${e.message}`));
      }
      outputs.flush();
      status("idle", msg);
    }
  };

  let shellQueue = Promise.resolve();
  return {
    starting: () => status("starting"),
    handle(channel: RequestChannel, msg: JupyterMessage) {
      if (channel === "shell") {
        const seq = ++received;
        shellQueue = shellQueue.then(() => run(channel, msg, seq));
      } else if (channel === "control") {
        void run(channel, msg);
      }
    },
  };
}
