import type { z } from "zod";
import { KernelMessage } from "../../../src/comm/protocol.js";

/** A message from the kernel checked against the protocol, or what was wrong with it. */
export type KernelMessageRead = { ok: true; message: KernelMessage } | { ok: false; problem: string };

/**
 * Checks what arrived on the dw comm against src/comm/protocol.ts, the contract the kernel checks
 * too. `problem` names the field at fault and what was wrong, for the console: for a message whose
 * `type` is known, the first field of that kind of message that does not match.
 *
 * @example
 * readKernelMessage({ type: "error", error: { code: "X", message: "m" } }).ok; // true
 */
export function readKernelMessage(data: unknown): KernelMessageRead {
  const parsed = KernelMessage.safeParse(data);
  if (parsed.success) return { ok: true, message: parsed.data };
  const issue = closestIssue(parsed.error.issues);
  return { ok: false, problem: issue ? `${issue.path.map(String).join(".") || "(message)"}: ${issue.message}` : parsed.error.message };
}

/**
 * The issue that says what is wrong. A union (the kinds of message) reports that no kind matched;
 * the useful issue is inside the kind whose `type` (and `ok`) did match, the one with fewest issues.
 */
function closestIssue(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue | undefined {
  const first = issues[0];
  if (first?.code !== "invalid_union") return first;
  const kinds = first.errors.filter((kind) => !kind.some((i) => i.code === "invalid_value" && i.path.length === 1));
  if (kinds.length === 0) return first;
  const closest = kinds.reduce((a, b) => (b.length < a.length ? b : a));
  const inner = closestIssue(closest);
  return inner && { ...inner, path: [...first.path, ...inner.path] };
}
