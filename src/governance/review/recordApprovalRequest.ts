import type { Workspace } from "../../workspace/Workspace.js";
import { commitMessage } from "../../workspace/commitMessage.js";
import { documentText } from "../../workspace/documentText.js";
import { APPROVAL_REQUEST_FILE, type ApprovalRequest } from "./ApprovalRequest.js";
import { reviewRef } from "./Review.js";

/**
 * Records a request for approval as a commit on refs/dw/reviews/<model>/<version>, whose parent is
 * the chain's previous commit (a review or another request). Call under the workspace lock.
 */
export async function recordApprovalRequest(ws: Workspace, request: ApprovalRequest, now: Date): Promise<string> {
  const ref = reviewRef(request.model_name, request.version);
  const previous = await ws.readRef(ref);
  const message = commitMessage(
    `dw review ${request.model_name} v${request.version}: approval requested${request.alias ? ` for ${request.alias}` : ""} by ${request.requested_by}`,
    [request.reason],
    {
      "Dw-Model": request.model_name,
      "Dw-Version": request.version,
      "Dw-Decision": "requested",
      "Dw-Alias": request.alias,
    },
  );
  return ws.commit({ ref, message, parents: previous ? [previous] : [], files: { [APPROVAL_REQUEST_FILE]: documentText(request) }, now });
}
