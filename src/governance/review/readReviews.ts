import type { Workspace } from "../../workspace/Workspace.js";
import { nullIfDamaged } from "../../workspace/parseDocument.js";
import { Review, reviewRef } from "./Review.js";

export interface ReviewEntry {
  review: Review;
  commit: string;
}

/** Every review of a model version, newest first, read by walking the review commits' parents. */
export async function readReviews(ws: Workspace, model: string, version: number): Promise<ReviewEntry[]> {
  const out: ReviewEntry[] = [];
  const ref = reviewRef(model, version);
  let oid = await ws.readRef(ref);
  while (oid) {
    // A commit whose review.json is missing or fails the schema is not a review: it decides nothing.
    const review = await ws.readDocument(Review, oid, "review.json", ref).catch(nullIfDamaged);
    if (review) out.push({ review, commit: oid });
    oid = (await ws.readCommit(oid)).parents[0] ?? null;
  }
  return out;
}

/**
 * The review that decides whether `alias` may point at the version: the newest one made for that
 * alias or for every alias, and for this very registration commit. A later rejection therefore
 * undoes an earlier approval, and an approval for staging says nothing about production.
 */
export function decidingReview(reviews: readonly ReviewEntry[], modelCommit: string, alias: string | undefined): ReviewEntry | undefined {
  return reviews.find((r) => r.review.model_commit === modelCommit && (r.review.alias === undefined || r.review.alias === alias));
}
