import type { EndpointMonitoring, EndpointState, WorkspaceState } from "../../../src/comm/protocol.js";
import type { DwConnection, RetrainActivity } from "../tokens.js";
import { monitoringView, retrainView, type MonitoringView, type RetrainView } from "./monitoringView.js";
import { curlExample } from "./curlExample.js";
import { formatMetric } from "./formatMetric.js";

/**
 * What the dw sidebar shows, as data: a notice while there is no state to show, else the server,
 * the endpoints and the models. DwSidebar turns it into DOM; keeping the decisions here lets them
 * be tested without a browser.
 */
export type SidebarView =
  | { kind: "notice"; headline: string; detail: string; error: boolean }
  | { kind: "state"; workspace: string; server: ServerView; endpoints: EndpointView[]; trainings: TrainingView[]; models: ModelView[] };

export interface ServerView {
  live: boolean;
  text: string;
}

export interface EndpointView {
  /** `model@alias`. */
  key: string;
  version: string;
  live: boolean;
  url: string;
  /** The kernel's curl, else one from this session's Productionize, else a template to fill in. */
  curl: string;
  /** What the server measured, one line per protocol; empty when it reports no traffic (no server, or one without /status). */
  traffic: { text: string; title: string }[];
  /** The drift badge; null when the kernel reported no monitoring for it. */
  monitoring: MonitoringView | null;
  /** A retraining started from this session, running or ended; null when none was. */
  retrain: RetrainView | null;
}

/** A training running in some process on the workspace. */
export interface TrainingView {
  key: string;
  /** `train_model random_forest · big → y`. */
  title: string;
  /** The stage, and the last progress in it. */
  detail: string;
}

export interface ModelView {
  name: string;
  /** `@alias → vN` for each alias. */
  aliases: string[];
  /** Newest first. */
  versions: VersionView[];
}

export interface VersionView {
  version: number;
  algorithm: string;
  runId: string;
  runTitle: string;
  /** `@a @b`, or empty when no alias points here. */
  aliases: string;
  metrics: { text: string; title: string }[];
}

/**
 * The view for a connection and the kernel's last state; `curls` holds this session's Productionize
 * curls, `monitoring` each deployment's drift monitoring and `retrains` this session's
 * retrainings, each by `model@alias`.
 */
export function sidebarView(
  connection: DwConnection,
  state: WorkspaceState | null,
  curls: ReadonlyMap<string, string>,
  monitoring: ReadonlyMap<string, EndpointMonitoring> = new Map(),
  retrains: ReadonlyMap<string, RetrainActivity> = new Map(),
): SidebarView {
  const notice = (headline: string, detail: string, error = false): SidebarView => ({ kind: "notice", headline, detail, error });
  switch (connection.kind) {
    case "no-notebook":
      return notice("No notebook is active.", "Open a notebook with the TypeScript (dw) kernel");
    case "other-kernel":
      return notice(
        connection.kernelDisplayName ? `This notebook's kernel is ${connection.kernelDisplayName}.` : "This notebook has no kernel yet.",
        "Open a notebook with the TypeScript (dw) kernel",
      );
    case "failed":
      return notice("No connection to the dw kernel.", connection.message, true);
    case "connecting":
      if (!state) return notice("Connecting to the dw kernel…", "The first start of a kernel can take a while.");
  }
  if (!state) return notice("Waiting for the kernel's state…", "");
  const server = state.server;
  return {
    kind: "state",
    workspace: state.workspace,
    server: {
      live: server?.live ?? false,
      text: server ? `dw serve ${server.url} (${server.live ? "live" : "not answering"})` : "dw serve not started",
    },
    endpoints: state.endpoints.map((ep) => {
      const key = `${ep.model}@${ep.alias}`;
      return {
        key,
        version: `v${ep.version}`,
        live: ep.live,
        url: ep.invocations_url,
        curl: ep.curl ?? curls.get(key) ?? curlExample(ep.invocations_url),
        traffic: trafficLines(ep.traffic),
        monitoring: monitoringView(monitoring.get(key)),
        retrain: retrainView(retrains.get(key)),
      };
    }),
    trainings: (state.trainings ?? [])
      .filter((t) => t.state === "running")
      .map((t) => ({
        key: t.id,
        title: `${t.tool}${t.algorithm ? ` ${t.algorithm}` : ""} · ${t.dataset_id} → ${t.target}`,
        detail: t.progress ? `${t.stage} · ${t.progress.message}` : t.stage,
      })),
    models: state.models.map((model) => ({
      name: model.name,
      aliases: Object.entries(model.aliases).map(([alias, version]) => `@${alias} → v${version}`),
      versions: [...model.versions]
        .sort((a, b) => b.version - a.version)
        .map((v) => ({
          version: v.version,
          algorithm: v.algorithm ?? "",
          runId: v.run_id,
          runTitle: `run ${v.run_id}, ${v.created_at}`,
          aliases: v.aliases.map((a) => `@${a}`).join(" "),
          metrics: Object.entries(v.metrics ?? {}).map(([name, value]) => ({ text: `${name} ${formatMetric(value)}`, title: String(value) })),
        })),
    })),
  };
}

/** An endpoint's traffic as lines: requests, errors and the window's p50/p99; "no requests yet" when the server has counted none. */
function trafficLines(traffic: EndpointState["traffic"]): { text: string; title: string }[] {
  if (traffic === undefined) return [];
  if (traffic.length === 0) return [{ text: "no requests yet", title: "The server has answered no scoring request for this endpoint since it started." }];
  return traffic.map((t) => {
    const errors = t.client_errors + t.server_errors;
    const latency = t.p50_ms !== null && t.p99_ms !== null ? ` · p50 ${ms(t.p50_ms)} · p99 ${ms(t.p99_ms)}` : "";
    return {
      text: `${traffic.length > 1 ? `${t.protocol}: ` : ""}${plural(t.requests, "request")} · ${plural(errors, "error")}${latency}`,
      title:
        `${t.protocol}, since ${t.first_request_at}: ${plural(t.requests, "request")} (${t.client_errors} answered 4xx, ${t.server_errors} answered 5xx), ${plural(t.rows, "row")} scored` +
        (latency ? `; p50 and p99 over the last ${plural(t.window_requests, "request")} (${t.window_seconds} s)` : ""),
    };
  });
}

function plural(n: number, noun: string): string {
  return `${n.toLocaleString("en-US")} ${noun}${n === 1 ? "" : "s"}`;
}

function ms(v: number): string {
  return `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : Math.round(v)} ms`;
}
