import type http from "node:http";
import type { ServerLimits } from "../http/ServerLimits.js";
import type { BodyBudget } from "../http/readBody.js";
import type { ModelSelector, ServedModel } from "../servedModels.js";

/** The endpoint a request reached: the model, the version that answered, the alias it named (null when pinned), the protocol. */
export interface ServedEndpoint {
  name: string;
  version: number;
  alias: string | null;
  protocol: "mlflow" | "oip";
  /** Rows scored, once scoring succeeded. */
  rows?: number;
}

/**
 * What a route handler gets besides the request: the server's limits and body budget, and the
 * served models (resolve answers a model or throws the HttpError a client should see).
 */
export interface RouteContext {
  limits: ServerLimits;
  budget: BodyBudget;
  resolve(name: string, selector: ModelSelector): Promise<ServedModel>;
  /** The versions of a model served at their pinned paths (they passed a deploy gate), in order. */
  servedVersions(name: string): Promise<number[]>;
  /** Every worker of the server has this version loaded once it resolves (see ServerOptions.loadEverywhere). */
  loadEverywhere?: (name: string, version: number) => Promise<void>;
  /**
   * Which endpoint this request was for, set by the route once it has resolved the model (for
   * /metrics and /status); a request that never got that far counts under no endpoint.
   */
  served?: ServedEndpoint;
}

/** A group of routes: handles the request and returns true, or returns false when the path is not one of its own. */
export type Routes = (req: http.IncomingMessage, res: http.ServerResponse, path: string, ctx: RouteContext) => Promise<boolean>;
