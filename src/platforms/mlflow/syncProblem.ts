import { type DwError, isDwError } from "../../errors/DwError.js";
import { MlflowRefusal } from "./MlflowRefusal.js";
import type { SyncProblem } from "./MlflowSyncReport.js";

/**
 * `e` as a problem with one item (a run, a version, an alias) that the sync records and goes past:
 * MLflow refusing the request (its error code and message), or a dw record that cannot be read.
 * Whatever means the server cannot be worked with at all — no answer, not MLflow, credentials
 * refused, an interrupt — and any fault that is not a DwError are thrown again: the sync stops
 * there, and what it sent so far is consistent (see syncRun).
 */
export function syncProblem(kind: SyncProblem["kind"], item: string, e: unknown): SyncProblem {
  if (e instanceof MlflowRefusal) {
    return { kind, item, code: e.errorCode, message: `MLflow refused it (HTTP ${e.status}): ${e.message}`, ...refusalHint(kind, e) };
  }
  if (isDwError(e) && !endsSync(e)) return { kind, item, code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) };
  throw e;
}

function endsSync(e: DwError): boolean {
  if (e.code === "CONNECTION_ERROR" || e.code === "INTERRUPTED") return true;
  const status = e.details?.status;
  return e.code === "CONFIG_ERROR" && (status === 401 || status === 403);
}

function refusalHint(kind: SyncProblem["kind"], e: MlflowRefusal): { hint?: string } {
  if (kind === "alias" && e.errorCode === "INVALID_PARAMETER_VALUE") {
    return {
      hint: "MLflow reserves some alias names ('latest' in any case, and v or V followed by a number, which name versions); give the version another alias in dw (deploy_model --alias) to see it in MLflow.",
    };
  }
  return {};
}
