import type { ToolDef } from "../defineTool.js";
import { checkPolicy } from "../checkPolicy.js";
import { requestGovernanceReview } from "../requestGovernanceReview.js";
import { estimateCost } from "../estimateCost.js";

/** The governance tools (policy, reviews) and the cost gate's tool. */
export const governanceTools = [checkPolicy, requestGovernanceReview, estimateCost] as unknown as readonly ToolDef[];
