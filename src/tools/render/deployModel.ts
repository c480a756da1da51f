import { html, type Html } from "../../render/html.js";
import { note } from "../../render/blocks.js";
import type { OutputOf } from "../defineTool.js";
import type { deployModel } from "../deployModel.js";
import { renderEndpoint } from "./endpoint.js";

/** The alias now live, its URLs and a curl to paste, and the drift monitoring that started with it. */
export function renderDeployModel(o: OutputOf<typeof deployModel>): Html {
  const m = o.monitoring;
  const s = m.schedule;
  const monitoring =
    m.state === "started"
      ? note(
          html`Monitoring v${m.version}: a drift check every ${s.every_requests} logged rows or ${s.every_minutes} minutes (with at least ${s.min_rows} new), on the newest ${s.window_rows} · <code>git log ${m.ref}</code>`,
        )
      : note("Monitoring not started: the alias was undeployed meanwhile.");
  return html`${renderEndpoint(o)}${monitoring}`;
}
