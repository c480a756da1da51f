import { randomBytes } from "node:crypto";

/** A run id that sorts by time and is safe in a ref name: 20261128-031502-a1b2c3. */
export function newRunId(now: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  const stamp = `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}-${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
  return `${stamp}-${randomBytes(3).toString("hex")}`;
}

export const RUN_ID = /^\d{8}-\d{6}-[0-9a-f]{6}$/;

export function runRef(runId: string): string {
  return `refs/dw/runs/${runId}`;
}
