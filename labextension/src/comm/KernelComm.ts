import type { Kernel, KernelMessage as JupyterMessage } from "@jupyterlab/services";
import type { JSONObject } from "@lumino/coreutils";
import { COMM_TARGET } from "../../../src/comm/protocol.js";
import type { ClientMessage, KernelMessage } from "../../../src/comm/protocol.js";
import { readKernelMessage } from "./readKernelMessage.js";

export interface KernelCommHandlers {
  /** A message from the kernel that passed validation. */
  onMessage(message: KernelMessage): void;
  /** A message from the kernel that did not; `problem` says which field was wrong. */
  onInvalid(problem: string): void;
  /** The kernel closed the comm (for example because it has no "dw" comm target). */
  onClose(): void;
}

/**
 * One comm with target "dw" on one kernel. It validates what arrives and types what leaves; it
 * knows nothing of notebooks or restarts, which `DwClient` handles.
 */
export class KernelComm {
  private readonly comm: Kernel.IComm;
  private closed = false;

  constructor(kernel: Kernel.IKernelConnection, handlers: KernelCommHandlers) {
    this.comm = kernel.createComm(COMM_TARGET);
    this.comm.onMsg = (msg: JupyterMessage.ICommMsgMsg) => {
      const read = readKernelMessage(msg.content.data);
      if (read.ok) handlers.onMessage(read.message);
      else handlers.onInvalid(read.problem);
    };
    this.comm.onClose = () => {
      if (this.closed) return;
      this.closed = true;
      handlers.onClose();
    };
    this.comm.open({});
  }

  get isOpen(): boolean {
    return !this.closed && !this.comm.isDisposed;
  }

  send(message: ClientMessage): void {
    // The protocol types are plain JSON; the cast only bridges zod's types and Lumino's JSONObject.
    this.comm.send(message as unknown as JSONObject);
  }

  /** Closes the comm without calling `onClose`. Safe after the kernel has gone. */
  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      if (!this.comm.isDisposed) this.comm.close();
    } catch {
      // the kernel connection is already gone: nothing to close
    }
  }
}
