import type { Workspace } from "../../workspace/Workspace.js";
import { nullIfDamaged } from "../../workspace/parseDocument.js";
import type { ApprovalEvent } from "../../policy/GateActivity.js";
import { APPROVAL_REQUEST_FILE, ApprovalRequest } from "./ApprovalRequest.js";
import { Review, reviewRef } from "./Review.js";

/** How many commits of one version's review chain are read: far above any real conversation, a bound on a pushed chain. */
const MAX_CHAIN = 1_000;

/** What a review chain read once gives, kept by the chain's head commit (commits never change). */
const kept = new WeakMap<Workspace, Map<string, ApprovalEvent[]>>();
const KEPT_PER_WORKSPACE = 2_000;

/**
 * Where approvals of one registered version stand, from its review chain (refs/dw/reviews/<model>/<version>):
 * the newest review or request for each alias (and for every alias), newest first. A request is
 * `requested` while no later review of the same registration answers it (a review for its alias,
 * or one for every alias); a review is `approved` or `rejected`. Entries for another registration
 * commit (a version renumbered by dw pull) are left out: they are not about this version. The
 * answer is kept by the chain's head, so a poll of an unchanged chain reads one ref.
 *
 * @example
 * ```ts
 * const events = await readApprovals(ws, "churn", 3, info.commit);
 * events.some((e) => e.state === "requested"); // a request waits for a reviewer
 * ```
 */
export async function readApprovals(ws: Workspace, model: string, version: number, modelCommit: string): Promise<ApprovalEvent[]> {
  const ref = reviewRef(model, version);
  const head = await ws.readRef(ref);
  if (!head) return [];
  let byHead = kept.get(ws);
  if (!byHead) {
    byHead = new Map();
    kept.set(ws, byHead);
  }
  const key = `${head}:${modelCommit}`;
  const known = byHead.get(key);
  if (known) return known;

  const out: ApprovalEvent[] = [];
  const answered = new Set<string>(); // aliases a newer review decided; "" = every alias
  const shown = new Set<string>(); // aliases (or "") with an entry already in out
  let oid: string | null = head;
  for (let i = 0; oid && i < MAX_CHAIN; i++) {
    const review = await ws.readDocument(Review, oid, "review.json", ref).catch(nullIfDamaged);
    const request = review ? null : await ws.readDocument(ApprovalRequest, oid, APPROVAL_REQUEST_FILE, ref).catch(nullIfDamaged);
    const alias = review?.alias ?? request?.alias;
    const aliasKey = alias ?? "";
    if (review && review.model_commit === modelCommit && !answered.has("") && !answered.has(aliasKey)) {
      out.push({
        model,
        version,
        ...(alias !== undefined ? { alias } : {}),
        state: review.decision === "approve" ? "approved" : "rejected",
        by: review.reviewer,
        reason: review.reason,
        at: review.reviewed_at,
        commit: oid,
      });
      answered.add(aliasKey);
      shown.add(aliasKey);
    } else if (request && request.model_commit === modelCommit && !answered.has("") && !answered.has(aliasKey) && !shown.has(aliasKey)) {
      out.push({
        model,
        version,
        ...(alias !== undefined ? { alias } : {}),
        state: "requested",
        by: request.requested_by,
        reason: request.reason,
        at: request.requested_at,
        commit: oid,
      });
      shown.add(aliasKey);
    }
    oid = (await ws.readCommit(oid)).parents[0] ?? null;
  }
  if (byHead.size >= KEPT_PER_WORKSPACE) byHead.delete(byHead.keys().next().value!);
  byHead.set(key, out);
  return out;
}
