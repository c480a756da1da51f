import type { Html } from "../../render/html.js";
import type { OutputOf } from "../defineTool.js";
import type { pullRegistry } from "../pullRegistry.js";
import { renderSyncReport } from "./syncRegistry.js";

/** What the pull took, the versions renumbered, the conflicts with both sides, and the data missing. */
export function renderPullRegistry(o: OutputOf<typeof pullRegistry>): Html {
  return renderSyncReport(o, "Pulled from");
}
