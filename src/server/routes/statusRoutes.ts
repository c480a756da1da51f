import type { MetricsSnapshot } from "../metrics/MetricsSnapshot.js";
import { PROMETHEUS_CONTENT_TYPE, renderPrometheus } from "../metrics/renderPrometheus.js";
import { renderServingStatus } from "../metrics/renderServingStatus.js";
import { methodNotAllowed } from "../http/HttpError.js";
import { send, sendJson } from "../http/respond.js";
import type { Routes } from "./RouteContext.js";

/**
 * `GET /metrics` (Prometheus text format 0.0.4) and `GET /status` (ServingStatus JSON, for
 * get_ml_status and the sidebar), both from `stats`: the whole server's counts, over every
 * process that answers requests.
 */
export function statusRoutes(stats: () => Promise<MetricsSnapshot>): Routes {
  return async (req, res, path) => {
    if (path !== "/metrics" && path !== "/status") return false;
    if (req.method !== "GET" && req.method !== "HEAD") throw methodNotAllowed("GET");
    const snap = await stats();
    if (path === "/metrics") send(res, 200, renderPrometheus(snap), PROMETHEUS_CONTENT_TYPE);
    else sendJson(res, 200, renderServingStatus(snap));
    return true;
  };
}
