import type { DwConnection } from "../tokens.js";

/** Why nothing can be sent to the dw kernel now, and what to do, for a dialog. */
export function notConnectedMessage(connection: DwConnection): string {
  switch (connection.kind) {
    case "no-notebook":
      return "No notebook is open. Open a notebook with the TypeScript (dw) kernel.";
    case "other-kernel":
      return `This notebook runs the kernel "${connection.kernelDisplayName}". Switch it to the TypeScript (dw) kernel.`;
    case "connecting":
      return "The dw kernel is still starting. Wait until it is idle and try again.";
    case "failed":
      return connection.message;
    case "connected":
      return "The comm to the dw kernel is closed. Click refresh in the dw sidebar and try again.";
  }
}
