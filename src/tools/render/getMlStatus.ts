import { html, joinHtml, type Html } from "../../render/html.js";
import { fmt, note, num, section, table, title } from "../../render/blocks.js";
import type { EndpointTraffic } from "../../server/ServingStatus.js";
import type { TrainingActivity } from "../../runs/TrainingActivity.js";
import type { DeploymentStatus, MlStatus } from "../MlStatus.js";
import type { MonitoringStatus } from "../../monitoring/monitor/MonitoringStatus.js";
import type { AbTestSummary } from "../../monitoring/abtest/AbTestSummary.js";
import { gateBadge } from "./gateFindings.js";

/** get_ml_status as a cell's output: the server, a table of deployments (version, since, serving, traffic, gates, monitoring), the trainings. */
export function renderGetMlStatus(o: MlStatus): Html {
  const deployments = o.deployments.length
    ? table(
        ["endpoint", "version", "since", "serving", "requests", "errors 4xx / 5xx", "p50 / p99", "gates", "monitoring"],
        o.deployments.map((d) => {
          const t = currentTraffic(d);
          return [
            html`<code>${d.model}@${d.alias}</code>`,
            `v${d.version}`,
            d.since ?? "",
            html`${serving(d)}${d.answers_note ? html`<div style="opacity: 0.75">${d.answers_note}</div>` : ""}${d.error ? html`<div style="opacity: 0.75">${d.error}</div>` : ""}`,
            t ? num(t.requests) : "",
            t ? html`${num(t.client_errors)} / ${num(t.server_errors)}` : "",
            t ? latency(t) : "",
            gatesCell(d),
            html`${monitoringCell(d.monitoring)}${d.ab_test ? html`<div>A/B ${abText(d.ab_test)}</div>` : ""}`,
          ];
        }),
      )
    : note(o.scope === "everything" ? "no deployment yet: deploy_model or productionize serves one" : "no deployment in scope");
  const trainings = o.trainings.length
    ? table(
        ["training", "on", "state", "stage", "progress", "started", "error"],
        o.trainings.map((t) => [
          html`${t.tool}${t.algorithm ? html` <code>${t.algorithm}</code>` : ""}`,
          html`<code>${t.dataset_id}</code> → <code>${t.target}</code>`,
          html`<strong style="color: ${t.state === "running" ? "#1b7f3b" : "#b00020"}">${t.state}</strong>`,
          t.stage,
          t.progress ? t.progress.message : "",
          html`${t.started_at} (pid ${t.pid})`,
          t.error ? html`<code>${t.error.code}</code> ${t.error.message}` : "",
        ]),
      )
    : html``;
  const other = o.other_traffic.length
    ? html`${section("Other traffic")}${table(
        ["endpoint", "version", "protocol", "requests", "errors 4xx / 5xx", "p50 / p99"],
        o.other_traffic.map((t) => [
          html`<code>${t.model_name}${t.alias === null ? "" : `@${t.alias}`}</code>`,
          `v${t.version}`,
          t.protocol,
          num(t.requests),
          html`${num(t.client_errors)} / ${num(t.server_errors)}`,
          latency(t),
        ]),
      )}`
    : html``;
  return html`${title(html`ML status: ${o.scope}`, serverLine(o))}${section("Deployments")}${deployments}${other}${
    o.trainings.length ? html`${section("Trainings")}${trainings}` : ""
  }${o.notes.map((n) => note(n))}`;
}

/**
 * get_ml_status as plain text, one line per deployment, traffic row, training and note: what the
 * tool returns in `text`, for a terminal or an agent that reads no HTML.
 *
 * @example
 * mlStatusText(status); // "everything · dw serve http://127.0.0.1:40123 …\ntemp@production v2 since … · answers · …"
 */
export function mlStatusText(o: MlStatus): string {
  const lines = [`${o.scope} · ${serverLine(o)}`];
  if (!o.deployments.length) lines.push(o.scope === "everything" ? "no deployment yet" : "no deployment in scope");
  for (const d of o.deployments) {
    const gates = d.gates.map((g) => `${g.step} ${g.gate} ${g.status}${g.decision ? ` (${g.decision})` : ""}`).join(", ");
    const overrides = d.overrides.map((v) => ` · ${v.step} override of ${v.gates.join(", ")} by ${v.by}: ${v.reason}`).join("");
    lines.push(
      `${d.model}@${d.alias} v${d.version} since ${d.since ?? "?"} · ${servingText(d)}${d.answers_note ? ` (${d.answers_note})` : ""} · gates: ${gates || "none recorded"}${overrides} · monitoring: ${monitoringText(d.monitoring)}${d.ab_test ? ` · A/B ${abText(d.ab_test)}` : ""}${d.error ? ` · error: ${d.error}` : ""}`,
    );
    for (const t of d.traffic) lines.push(`  ${trafficText(t)}`);
    if (!d.traffic.length && o.server.traffic === "measured") lines.push("  no requests since the server started");
  }
  for (const t of o.other_traffic) lines.push(`other: ${t.model_name}${t.alias === null ? "" : `@${t.alias}`} ${trafficText(t)}`);
  for (const t of o.trainings) lines.push(trainingText(t));
  for (const n of o.notes) lines.push(`note: ${n}`);
  return lines.join("\n");
}

function serverLine(o: MlStatus): string {
  if (!o.server.url) return "dw serve not running";
  const since = o.server.started_at ? `, up since ${o.server.started_at}` : "";
  return `dw serve ${o.server.url}${since}${o.server.note ? ` · ${o.server.note}` : " · traffic measured"}`;
}

/** The traffic row of the version the alias serves now, the one a table cell shows. */
function currentTraffic(d: DeploymentStatus): EndpointTraffic | undefined {
  const rows = d.traffic.filter((t) => t.version === d.version);
  if (rows.length <= 1) return rows[0];
  // Several protocols: add up the counts, and show the percentiles of the busiest.
  const busiest = rows.reduce((a, b) => (b.window_requests > a.window_requests ? b : a));
  const sum = (k: "requests" | "client_errors" | "server_errors") => rows.reduce((n, t) => n + t[k], 0);
  return { ...busiest, requests: sum("requests"), client_errors: sum("client_errors"), server_errors: sum("server_errors") };
}

function serving(d: DeploymentStatus): Html {
  if (d.answers === null) return html`no server`;
  return d.answers ? html`<strong style="color: #1b7f3b">answers</strong>` : html`<strong style="color: #b00020">does not answer</strong>`;
}

function servingText(d: DeploymentStatus): string {
  return d.answers === null ? "no server" : d.answers ? "answers" : "does not answer";
}

function latency(t: EndpointTraffic): Html {
  if (t.p50_ms === null || t.p99_ms === null) return html``;
  return html`${fmt(t.p50_ms)} / ${fmt(t.p99_ms)} ms`;
}

function gatesCell(d: DeploymentStatus): Html {
  const gates = d.gates.map((g) => html`${g.step} ${g.gate} ${gateBadge(g.decision ?? g.status)}`);
  const overrides = d.overrides.map((v) => html`<div>${v.step} override of ${v.gates.join(", ")} by ${v.by}: ${v.reason}</div>`);
  return html`${joinHtml(gates, " · ")}${overrides}`;
}

/** The monitoring state in a word or two, drift in red with the columns that drifted, and the last check under it. */
function monitoringCell(m: MonitoringStatus): Html {
  const word = MONITORING_WORDS[m.state];
  if (m.state === "drift" && m.alert) {
    return html`<strong style="color: #b00020">drift</strong>${driftedText(m) ? html` <span>${driftedText(m)}</span>` : ""}<div style="opacity: 0.75">since ${m.alert.since}</div>`;
  }
  if (m.state === "ok")
    return html`<strong style="color: #1b7f3b">${word}</strong>${m.last_check ? html`<div style="opacity: 0.75">checked ${m.last_check.at}</div>` : ""}`;
  return html`${word}`;
}

/** A running A/B test's arms and their shares: `v1 50% / v2 50% on accuracy`, and whether the split is on. */
function abText(ab: AbTestSummary): string {
  const arms = ab.arms.map((a) => `v${a.version} ${Math.round(a.share * 100)}%`).join(" / ");
  return `${arms} on ${ab.metric}${ab.splitting ? "" : " (not splitting: the alias was deployed since it started)"}`;
}

function monitoringText(m: MonitoringStatus): string {
  const word = MONITORING_WORDS[m.state];
  if (m.state === "drift" && m.alert) return `drift since ${m.alert.since} (${driftedText(m)})`;
  if (m.last_check) return `${word} (${m.checks} checks, last ${m.last_check.at} on ${m.last_check.rows} rows)`;
  return word;
}

const MONITORING_WORDS: Record<MonitoringStatus["state"], string> = {
  not_started: "not started",
  waiting_for_data: "waiting for data",
  ok: "no drift",
  drift: "drift",
};

/** The drifted columns, and the predictions when they drifted: "x1, x3, prediction". */
function driftedText(m: MonitoringStatus): string {
  if (!m.alert) return "";
  return [...m.alert.columns, ...(m.alert.prediction_drift ? ["prediction"] : [])].join(", ");
}

function trafficText(t: EndpointTraffic): string {
  const window =
    t.p50_ms !== null && t.p99_ms !== null ? `, p50 ${t.p50_ms} ms, p99 ${t.p99_ms} ms over the last ${t.window_requests} in ${t.window_seconds} s` : "";
  return `v${t.version} ${t.protocol}: ${t.requests} requests, ${t.client_errors} client errors (4xx), ${t.server_errors} server errors (5xx), ${t.rows} rows${window}, last at ${t.last_request_at}`;
}

function trainingText(t: TrainingActivity): string {
  const what = `${t.tool}${t.algorithm ? ` ${t.algorithm}` : ""} on ${t.dataset_id} → ${t.target}`;
  const progress = t.progress ? `, ${t.progress.message}` : "";
  const error = t.error ? ` · ${t.error.code}: ${t.error.message}` : "";
  return `training ${what}: ${t.state}, ${t.stage}${progress} (pid ${t.pid}, since ${t.started_at})${error}`;
}
