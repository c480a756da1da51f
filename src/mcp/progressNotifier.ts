import type { DomainContext } from "../workspace/DomainContext.js";

/** A progress notification's parameters, as MCP sends them (without the request's token). */
export interface McpProgress {
  progress: number;
  total?: number;
  message: string;
}

/** Progress is sent at most this often (a forest reports every tree); the last step of a stage always goes. */
const INTERVAL_MS = 100;

/**
 * dw's progress (`{message, done, total}`, which starts again at each stage: cross-validation
 * folds, then trees) as MCP progress, whose value must grow with every notification. Each stage
 * is laid after the previous one: progress = the stages before (their last `done`, plus one) +
 * `done`, and total likewise, so a client's bar fills once per stage and never goes back.
 *
 * @example
 * ```ts
 * ctx.progress = progressNotifier((p) => extra.sendNotification({ method: "notifications/progress", params: { progressToken, ...p } }));
 * ```
 */
export function progressNotifier(send: (p: McpProgress) => void, now: () => number = Date.now): NonNullable<DomainContext["progress"]> {
  let offset = 0;
  let lastDone = -1;
  let lastTotal: number | undefined;
  let lastSent = -1;
  let lastSentAt = Number.NEGATIVE_INFINITY;
  return ({ message, done, total }) => {
    if (!Number.isFinite(done)) return;
    // A step back, or a new total, is a new stage: it starts after the last one.
    if (done < lastDone || (done === lastDone && total === lastTotal) || total !== lastTotal) {
      if (lastDone >= 0) offset += lastDone + 1;
    }
    lastDone = done;
    lastTotal = total;
    const progress = offset + done;
    if (progress <= lastSent) return;
    const last = total !== undefined && done >= total;
    const t = now();
    if (!last && t - lastSentAt < INTERVAL_MS) return;
    lastSent = progress;
    lastSentAt = t;
    send(total === undefined ? { progress, message } : { progress, total: offset + total, message });
  };
}
