/**
 * What get_ml_status reports, apart from its text form: the schemas the tool validates against,
 * and what its renderers (src/tools/render/getMlStatus.ts: HTML for the notebook, text for a
 * terminal or an agent) read.
 */
import { z } from "zod";
import { DeploymentRecordStatus } from "../deployment/DeploymentStatus.js";
import { TrainingActivity } from "../runs/TrainingActivity.js";
import { EndpointTraffic } from "../server/ServingStatus.js";

export const DeploymentStatus = DeploymentRecordStatus.extend({
  answers: z.boolean().nullable().describe("Whether the running dw serve answers for this alias (its metadata route); null when no server runs."),
  answers_note: z.string().optional().describe("Why it does not answer, or that it answers with another version than the records name."),
  traffic: z
    .array(EndpointTraffic)
    .describe("What the server measured for this alias since it started, per version and protocol, newest version first; empty when it has none or none runs."),
});
export type DeploymentStatus = z.infer<typeof DeploymentStatus>;

export const MlStatus = z.object({
  workspace: z.string(),
  scope: z.string().describe("What was reported on: everything, or model_id as it resolved (temp@production, temp v2, run …, temp)."),
  server: z.object({
    url: z.string().nullable().describe("The workspace's dw serve, or null when none runs."),
    started_at: z.string().nullable(),
    traffic: z
      .enum(["measured", "not_running", "no_status_route", "unreadable"])
      .describe("Whether the traffic numbers are the server's measurements, and if not, why there are none."),
    note: z.string().optional().describe("Why there are no traffic numbers, in a sentence."),
  }),
  deployments: z.array(DeploymentStatus),
  other_traffic: z
    .array(EndpointTraffic)
    .describe("With no model_id: traffic the server measured that no deployment listed owns (pinned versions, aliases since undeployed)."),
  trainings: z
    .array(TrainingActivity)
    .describe("With no model_id: trainings running now (stage, progress), and those that failed or were interrupted in the last day (with the error)."),
  notes: z.array(z.string()).describe("What was asked but is not deployed."),
});
export type MlStatus = z.infer<typeof MlStatus>;
