/**
 * What the dw sidebar shows, and what get_workspace_state returns: the workspace, the `dw serve`
 * that answers for it, the registered models and the deployed endpoints. This file imports nothing
 * but zod (and the zod-only model listing, traffic and training schemas), so that the labextension can compile it too (through
 * src/comm/protocol.ts, which sends it to the sidebar).
 */
import { z } from "zod";
import { ModelState } from "../registry/ModelState.js";
import { EndpointTraffic } from "../server/ServingStatus.js";
import { TrainingActivity } from "../runs/TrainingActivity.js";

export const EndpointState = z.object({
  model: z.string(),
  alias: z.string(),
  version: z.number().int(),
  invocations_url: z.string().describe("MLflow scoring URL for this alias (empty when no server runs)."),
  live: z.boolean(),
  curl: z.string().optional().describe("A ready-to-paste request with one example row of the model's inputs (absent when no server runs)."),
  error: z.string().optional().describe("Set when the deployed version cannot be described (a damaged model.json): what is wrong."),
  traffic: z
    .array(EndpointTraffic)
    .optional()
    .describe("What the running dw serve measured for this alias at its version, one row per protocol (absent when no server runs or it has no /status)."),
});
export type EndpointState = z.infer<typeof EndpointState>;

export const WorkspaceState = z.object({
  workspace: z.string().describe("The workspace's root folder."),
  server: z.object({ url: z.string(), live: z.boolean() }).nullable().describe("The dw serve that answers for this workspace, or null when none runs."),
  models: z.array(ModelState).describe("Registered models, by name."),
  endpoints: z.array(EndpointState).describe("Deployed aliases."),
  trainings: z.array(TrainingActivity).optional().describe("Trainings running now on this workspace, in any process, with their stage and progress."),
});
export type WorkspaceState = z.infer<typeof WorkspaceState>;
