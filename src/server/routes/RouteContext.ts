import type http from "node:http";
import type { ServerLimits } from "../http/ServerLimits.js";
import type { BodyBudget } from "../http/readBody.js";
import type { ModelSelector, ServedModel } from "../servedModels.js";
import type { ScoringInput } from "../../models/scoreModel.js";
import type { InferenceLog } from "../../monitoring/log/createInferenceLog.js";

/** The endpoint a request reached: the model, the version that answered, the alias it named (null when pinned), the protocol. */
export interface ServedEndpoint {
  name: string;
  version: number;
  alias: string | null;
  protocol: "mlflow" | "oip";
  /** Rows scored, once scoring succeeded. */
  rows?: number;
}

/** What a scoring route scored, for the inference log (read when the log writes its batch, not on the request path). */
export interface ScoredRows {
  input: ScoringInput;
  predictions: readonly unknown[];
  /** The model's input columns (what the log keeps of each row). */
  columns: readonly string[];
  /** The run the answering version was trained in (its governance report names the PII inputs). */
  runId: string;
}

/**
 * What a route handler gets besides the request: the server's limits and body budget, the served
 * models (resolve answers a model or throws the HttpError a client should see), the request's ids
 * and the process's inference log.
 */
export interface RouteContext {
  limits: ServerLimits;
  budget: BodyBudget;
  /** The model that answers this request at a path (on an alias with an A/B test, the arm for `assignmentKey`). */
  resolve(name: string, selector: ModelSelector): Promise<ServedModel>;
  /** The request's id: the client's X-Request-Id when valid (src/monitoring/log/requestId.ts), else a new one; every answer carries it. */
  requestId: string;
  /** What picks an A/B test's arm: the client's X-Dw-Ab-Key when valid, else the request id. */
  assignmentKey: string;
  /** Where answered requests on alias paths are logged, and feedback is stored. */
  inferenceLog: InferenceLog;
  /** The versions of a model served at their pinned paths (they passed a deploy gate), in order. */
  servedVersions(name: string): Promise<number[]>;
  /** Every worker of the server has this version loaded once it resolves (see ServerOptions.loadEverywhere). */
  loadEverywhere?: (name: string, version: number) => Promise<void>;
  /**
   * Which endpoint this request was for, set by the route once it has resolved the model (for
   * /metrics and /status); a request that never got that far counts under no endpoint.
   */
  served?: ServedEndpoint;
  /** Set by a scoring route once it answered with predictions. */
  scored?: ScoredRows;
  /** The error code of an error answer (the OIP routes answer `{error}` without one). */
  errorCode?: string;
}

/** A group of routes: handles the request and returns true, or returns false when the path is not one of its own. */
export type Routes = (req: http.IncomingMessage, res: http.ServerResponse, path: string, ctx: RouteContext) => Promise<boolean>;
