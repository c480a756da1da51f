import { randomBytes } from "node:crypto";

let last = "";

/**
 * A run id that sorts by creation time and is safe in a ref name: 20261128-031502-1f4a2c. The
 * six hex digits after the second are the millisecond (three digits, 000..3e7) and three random
 * ones, so runs made in the same second still sort in the order they were made; within one
 * process an id made in the same millisecond as the last one follows it.
 */
export function newRunId(now: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  const stamp = `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}-${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
  const ms = now.getUTCMilliseconds().toString(16).padStart(3, "0");
  let id = `${stamp}-${ms}${randomBytes(2).toString("hex").slice(0, 3)}`;
  if (id <= last && last.startsWith(`${stamp}-${ms}`)) {
    const next = parseInt(last.slice(-3), 16) + 1;
    // 4,096 ids in one millisecond of one process is beyond any training; past it, the random suffix alone.
    if (next < 0x1000) id = `${stamp}-${ms}${next.toString(16).padStart(3, "0")}`;
  }
  last = id;
  return id;
}

export const RUN_ID = /^\d{8}-\d{6}-[0-9a-f]{6}$/;

export function runRef(runId: string): string {
  return `refs/dw/runs/${runId}`;
}
