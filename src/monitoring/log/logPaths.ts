import { join } from "node:path";

/**
 * Where a deployment's monitoring files live: `.dw/monitoring/<name>/<alias>/` in the workspace
 * `root` (git ignores `.dw/`). The name and alias are checked by the caller (the server serves only
 * valid ones), so they are safe path segments.
 */
export function deploymentMonitoringDir(root: string, name: string, alias: string): string {
  return join(root, ".dw", "monitoring", name, alias);
}

/** The folder of a deployment's inference log files. */
export function requestsLogDir(root: string, name: string, alias: string): string {
  return join(deploymentMonitoringDir(root, name, alias), "requests");
}

/** The folder of a deployment's feedback (label) files. */
export function feedbackLogDir(root: string, name: string, alias: string): string {
  return join(deploymentMonitoringDir(root, name, alias), "feedback");
}

/** Log files end in `.ndjson`; anything else in the folder (a temp file, a note) is not read or deleted. */
export const LOG_FILE_SUFFIX = ".ndjson";
