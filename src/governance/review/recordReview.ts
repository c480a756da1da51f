import { currentUser } from "../../workspace/currentUser.js";
import { readGitConfig } from "../../workspace/readGitConfig.js";
import { identPart } from "../../workspace/identPart.js";
import type { Workspace } from "../../workspace/Workspace.js";
import { commitMessage } from "../../workspace/commitMessage.js";
import { documentText } from "../../workspace/documentText.js";
import type { Review } from "./Review.js";
import { reviewRef } from "./Review.js";

/**
 * Records a review as a new commit under refs/dw/reviews/<model>/<version>, whose parent is the
 * previous review of that version: `git log refs/dw/reviews/<model>/<version>` is the version's
 * review history. Call under the workspace lock.
 */
export async function recordReview(ws: Workspace, review: Review, now: Date): Promise<string> {
  const ref = reviewRef(review.model_name, review.version);
  const previous = await ws.readRef(ref);
  const verb = review.decision === "approve" ? "approved" : "rejected";
  const message = commitMessage(
    `dw review ${review.model_name} v${review.version}: ${verb}${review.alias ? ` for ${review.alias}` : ""} by ${review.reviewer}`,
    [review.reason],
    { "Dw-Model": review.model_name, "Dw-Version": review.version, "Dw-Decision": review.decision, "Dw-Alias": review.alias, "Dw-Reviewer": review.reviewer },
  );
  return ws.commit({ ref, message, parents: previous ? [previous] : [], files: { "review.json": documentText(review) }, now });
}

/**
 * Who a review is recorded as when the input names nobody: DW_USER, else git's user.name (with
 * user.email) as a commit would record it, else the OS user.
 */
export async function defaultReviewer(ws: Workspace, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.DW_USER) return env.DW_USER;
  // Read only when the environment does not say, once for both keys (every training asks).
  const config = env.GIT_AUTHOR_NAME && env.GIT_AUTHOR_EMAIL ? undefined : await readGitConfig(ws.gitdir);
  // Cleaned as a commit's author is (identPart): the reviewer goes into a commit message's
  // Dw-Reviewer trailer, where a newline or angle bracket from a config value would break it.
  const clean = (v: string | null | undefined) => (v ? identPart(v) : "") || undefined;
  const name = clean(env.GIT_AUTHOR_NAME) ?? clean(config?.get("user.name"));
  const email = clean(env.GIT_AUTHOR_EMAIL) ?? clean(config?.get("user.email"));
  if (name) return email ? `${name} <${email}>` : name;
  return currentUser(env);
}
