import { isAbsolute, normalize, sep } from "node:path";

/**
 * Whether a path the browser names (relative to the Jupyter server's root, '/'-separated) is the
 * file `own`: `own` ends with it on a segment boundary. The server's root is not known to the
 * kernel, so the suffix is what can be compared; a path that climbs (`..`) names nothing.
 */
export function namesNotebookFile(own: string, browserPath: string): boolean {
  const parts = browserPath.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.length === 0 || parts.includes("..")) return false;
  const file = normalize(own);
  const tail = parts.join(sep);
  if (isAbsolute(browserPath) && normalize(browserPath) === file) return true;
  return file === tail || file.endsWith(sep + tail);
}
