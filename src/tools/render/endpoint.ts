import { html, type Html } from "../../render/html.js";
import { kv, note, title } from "../../render/blocks.js";
import type { MonitoringStartSummary } from "../../monitoring/monitor/MonitoringStartSummary.js";

/** What deploy_model and productionize both show: the live endpoint, the pinned URL, a curl to paste, and the drift monitoring that started with it. */
export function renderEndpoint(o: {
  model_name: string;
  alias: string;
  version: number;
  endpoint_url: string;
  version_url: string;
  curl: string;
  monitoring: MonitoringStartSummary;
}): Html {
  return html`${title(html`Deployed <code>${o.model_name}@${o.alias}</code> → version ${o.version}`, "MLflow scoring protocol · live")}${kv([
    ["endpoint", html`<a href="${o.endpoint_url}" target="_blank" rel="noopener">${o.endpoint_url}</a>`],
    ["pinned", o.version_url],
  ])}<pre style="white-space: pre-wrap; margin: 6px 0; padding: 6px; background: var(--jp-layout-color2, #f5f5f5)">${o.curl}</pre>${renderMonitoringStart(o.monitoring)}`;
}

function renderMonitoringStart(m: MonitoringStartSummary): Html {
  const s = m.schedule;
  return m.state === "started"
    ? note(
        html`Monitoring v${m.version}: a drift check every ${s.every_requests} logged rows or ${s.every_minutes} minutes (with at least ${s.min_rows} new), on the newest ${s.window_rows} · <code>git log ${m.ref}</code>`,
      )
    : note("Monitoring not started: the alias was undeployed meanwhile.");
}
