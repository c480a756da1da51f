import type { Kernel } from "@jupyterlab/services";
import { NotebookSnapshot } from "../../../src/comm/protocol.js";
import { KernelComm } from "./KernelComm.js";

/**
 * Sends `notebook_snapshot` messages, each on a dw comm of its own kernel, opened the first time a
 * cell of a notebook on that kernel is scheduled and again after a restart closed it. This comm is
 * apart from the sidebar's (`DwClient`), which follows only the current notebook: a notebook run in
 * a background tab, or with no sidebar open, must still tell its kernel what the browser holds.
 * comm_open and comm_msg go out on the shell channel like execute_request, so a snapshot sent
 * before a cell's request reaches the kernel before the cell runs.
 */
export class NotebookSnapshotSender {
  private readonly comms = new Map<Kernel.IKernelConnection, KernelComm>();

  /** Sends the snapshot; false (and a console warning) when it does not match the protocol. */
  send(kernel: Kernel.IKernelConnection, snapshot: Omit<NotebookSnapshot, "type">): boolean {
    const checked = NotebookSnapshot.safeParse({ type: "notebook_snapshot", ...snapshot });
    if (!checked.success) {
      console.warn(`dw: notebook snapshot of ${snapshot.path} not sent: ${checked.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
      return false;
    }
    this.commFor(kernel).send(checked.data);
    return true;
  }

  private commFor(kernel: Kernel.IKernelConnection): KernelComm {
    const open = this.comms.get(kernel);
    if (open?.isOpen) return open;
    if (!open) kernel.disposed.connect(() => this.forget(kernel));
    // The kernel's answers on this comm (state pushed after a tool writes) are the sidebar's business.
    const comm = new KernelComm(kernel, { onMessage: () => undefined, onInvalid: () => undefined, onClose: () => undefined });
    this.comms.set(kernel, comm);
    return comm;
  }

  private forget(kernel: Kernel.IKernelConnection): void {
    this.comms.get(kernel)?.dispose();
    this.comms.delete(kernel);
  }
}
