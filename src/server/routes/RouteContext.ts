import type http from "node:http";
import type { ServerLimits } from "../createServer.js";
import type { BodyBudget } from "../http/readBody.js";
import type { ModelSelector, ServedModel } from "../servedModels.js";

/**
 * What a route handler gets besides the request: the server's limits and body budget, and the
 * served models (resolve answers a model or throws the HttpError a client should see).
 */
export interface RouteContext {
  limits: ServerLimits;
  budget: BodyBudget;
  resolve(name: string, selector: ModelSelector): Promise<ServedModel>;
  /** Which model and version this request was for, once known (for /metrics and the status). */
  served?: { name: string; version: number };
}

/** A group of routes: handles the request and returns true, or returns false when the path is not one of its own. */
export type Routes = (req: http.IncomingMessage, res: http.ServerResponse, path: string, ctx: RouteContext) => Promise<boolean>;
