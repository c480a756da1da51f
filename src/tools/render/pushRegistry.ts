import type { Html } from "../../render/html.js";
import type { OutputOf } from "../defineTool.js";
import type { pushRegistry } from "../pushRegistry.js";
import { renderSyncReport } from "./syncRegistry.js";

/** What the push sent (refs, versions, aliases), conflicts resolved with take_ours, and the data uploaded or staying local. */
export function renderPushRegistry(o: OutputOf<typeof pushRegistry>): Html {
  return renderSyncReport(o, "Pushed to");
}
