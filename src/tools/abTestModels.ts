import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { OverrideReason } from "../gates/enforceGates.js";
import { DwError } from "../errors/DwError.js";
import { AbMetric, type AbTest } from "../monitoring/abtest/AbTest.js";
import { AbResults } from "../monitoring/abtest/abTestResults.js";
import { readAbTest } from "../monitoring/abtest/readAbTest.js";
import { readAbTestResults } from "../monitoring/abtest/readAbTestResults.js";
import { resolveAlias } from "../registry/readRegistry.js";
import { deploymentRef } from "../registry/refs.js";
import { endpointUrls } from "../server/endpointUrls.js";
import { authHeadersFor, type ServerAuth } from "../server/token.js";
import type { ServerInfo } from "../server/serverInfo.js";
import type { Workspace } from "../workspace/Workspace.js";

const MODEL_ID = "name/version (e.g. churn/4), name@alias (the version that alias serves now), or a version number with model_name";

export const AbTestModelsInput = z.strictObject({
  action: z
    .enum(["start", "status", "promote", "stop"])
    .default("start")
    .describe(
      "start: begin a test behind the alias (or change the arms or weights of the one running); status: per-arm results and the decision; promote: move the alias to the winner and end the test; stop: end it, the alias keeps its version.",
    ),
  model_name: z.string().min(1).optional().describe("Registered model the test runs on; taken from model_a_id or model_b_id when they name it."),
  alias: z.string().default("production").describe("The deployed alias whose traffic the test splits."),
  model_a_id: z.string().min(1).optional().describe(`Arm A: ${MODEL_ID}. Default: the version the alias serves now.`),
  model_b_id: z.string().min(1).optional().describe(`Arm B: ${MODEL_ID}. Needed to start a two-arm test.`),
  traffic_split: z.number().gt(0).lt(1).default(0.5).describe("Share of the traffic arm A gets (B gets the rest), e.g. 0.9 for a 90/10 test."),
  arms: z
    .array(
      z.strictObject({
        model_id: z.string().min(1).describe(MODEL_ID),
        weight: z.number().positive().describe("Relative weight; the arm's share of traffic is its weight ÷ the sum."),
      }),
    )
    .min(2)
    .optional()
    .describe("Two or more arms with weights, instead of model_a_id, model_b_id and traffic_split."),
  metric: AbMetric.optional().describe(
    "What decides the winner, from feedback labels: accuracy or error_rate for a classifier, rmse or mae for a regressor (default accuracy / rmse).",
  ),
  min_sample_size: z
    .number()
    .int()
    .min(1)
    .default(100)
    .describe("Labelled rows each arm needs before any winner is declared; below it the answer is 'not enough data yet'."),
  duration_hours: z
    .number()
    .positive()
    .nullable()
    .default(168)
    .describe("How long the test is meant to run (status says 'duration over' past it, without a winner); null: no limit."),
  assignment_seed: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe(
      "start: what keys are hashed with to pick their arm. The same seed, keys and weights give the same arms, so a test can be replayed; default: the alias and the start time, so each test assigns afresh.",
    ),
  override_reason: OverrideReason,
});
export type AbTestModelsInput = z.infer<typeof AbTestModelsInput>;

const ArmOut = z.object({
  version: z.number().int(),
  weight: z.number(),
  share: z.number().describe("Its share of traffic."),
  gate: z
    .object({ status: z.string(), decision: z.string(), overridden: z.boolean() })
    .describe("The deploy gate for this alias, as it ran when the arm was set."),
});

export const AbTestModelsOutput = z.object({
  action: z.enum(["start", "status", "promote", "stop"]),
  model_name: z.string(),
  alias: z.string(),
  status: z.enum(["running", "stopped", "promoted"]),
  arms: z.array(ArmOut),
  metric: AbMetric,
  min_sample_size: z.number().int(),
  duration_hours: z.number().nullable(),
  alpha: z.number().describe("The significance level a winner is declared at, over all pairs of arms."),
  started_at: z.string(),
  started_by: z.string(),
  changed_at: z.string().nullable(),
  ended: z
    .object({ at: z.string(), by: z.string(), winner: z.number().int().nullable(), decision: z.string() })
    .nullable()
    .describe("How the test ended: promoted to the winner, or stopped."),
  splitting: z.boolean().describe("Whether the server splits the alias's traffic by this test now (a running test on the alias's last deployment)."),
  commit: z.string().describe("The test's newest commit (start, change, stop or promote)."),
  ref: z.string(),
  results: AbResults.optional().describe("Per-arm results and the decision (status, promote, stop)."),
  assignment: z
    .object({
      endpoint_url: z.string().nullable().describe("The alias's scoring URL (null: no server runs)."),
      header: z.literal("X-Dw-Ab-Key"),
      how: z.string(),
      feedback_url: z.string().nullable(),
    })
    .optional()
    .describe("How clients get a sticky arm and send labels (start)."),
  deployed_version: z.number().int().optional().describe("promote: the version the alias serves now."),
});
export type AbTestModelsOutput = z.infer<typeof AbTestModelsOutput>;

/**
 * A/B tests of model versions behind one deployed alias: start one (each arm through the deploy
 * gate for that alias), read per-arm requests, errors, latency, predictions and, from feedback
 * labels, the metric with an always-valid sequential test, then promote the winner (the alias
 * moves to it through the deploy path) or stop. Each start, change and end is a commit on
 * refs/dw/abtests/<name>/<alias>.
 *
 * @example
 * ```ts
 * await dw.abTestModels({ model_a_id: "churn/3", model_b_id: "churn/4", traffic_split: 0.5, metric: "accuracy", min_sample_size: 200, duration_hours: 72 });
 * const s = await dw.abTestModels({ action: "status", model_name: "churn" });
 * s.results?.decision.kind; // "not_enough_data" | "no_winner_yet" | "winner" | "duration_over"
 * ```
 */
export const abTestModels = defineTool({
  name: "ab_test_models",
  annotations: { effect: "serves" },
  description:
    "A/B test model versions behind a deployed alias: start (traffic split by weights, sticky by a client key), status (per-arm results and an always-valid significance test), promote the winner, or stop.",
  input: AbTestModelsInput,
  output: AbTestModelsOutput,
  magic: { aliases: { name: "model_name" } },
  async run(input, ctx) {
    const ws = ctx.workspace;
    if (input.action === "start") {
      const { model, arms } = await armsOf(ws, input);
      const { startAbTest } = await import("../deployment/startAbTest.js");
      const s = await startAbTest(ctx, {
        model,
        alias: input.alias,
        arms,
        metric: input.metric,
        minSampleSize: input.min_sample_size,
        durationHours: input.duration_hours,
        overrideReason: input.override_reason,
        assignmentSeed: input.assignment_seed,
      });
      const server = await ctx.ensureServer();
      await confirmArmsServed(
        server,
        model,
        s.test.arms.map((a) => a.version),
      );
      const urls = endpointUrls(server.url, model, input.alias, s.test.arms[0].version);
      return {
        ...shape(input.action, s.test, s.commit, s.ref, true),
        assignment: {
          endpoint_url: urls.invocations,
          header: "X-Dw-Ab-Key" as const,
          how: "Send the same X-Dw-Ab-Key header (a user or session id) with every request of one client: it always gets the same arm while the weights are unchanged. Without it each request gets a random arm. Each answer says its version in X-Dw-Version and its request id in X-Request-Id; send labels for those ids to feedback_url.",
          feedback_url: urls.metadata + "/feedback",
        },
      };
    }
    const model = modelNameOf(input);
    if (input.action === "stop") {
      const { stopAbTest } = await import("../monitoring/abtest/stopAbTest.js");
      const s = await stopAbTest(ctx, { model, alias: input.alias });
      return { ...shape(input.action, s.test, s.commit, s.ref, false), results: s.results };
    }
    if (input.action === "promote") {
      const { promoteAbWinner } = await import("../deployment/promoteAbWinner.js");
      const p = await promoteAbWinner(ctx, { model, alias: input.alias, overrideReason: input.override_reason });
      return { ...shape(input.action, p.test, p.commit, p.ref, false), results: p.results, deployed_version: p.test.ended!.winner! };
    }
    const at = await readAbTest(ws, model, input.alias);
    if (!at) {
      throw new DwError("NOT_FOUND", `No A/B test was ever started behind ${model}@${input.alias}.`, {
        hint: `Start one with: %dw ab_test_models --name ${model} --alias ${input.alias} --model_b_id ${model}/<version>`,
        details: { field: "alias" },
      });
    }
    const results = await readAbTestResults(ws, at.test, ctx.now());
    const head = await ws.readRef(deploymentRef(model, input.alias)).catch(() => null);
    return { ...shape("status", at.test, at.commit, at.ref, at.test.status === "running" && head === at.test.deployment), results };
  },
});

function shape(action: AbTestModelsOutput["action"], t: AbTest, commit: string, ref: string, splitting: boolean) {
  const total = t.arms.reduce((s, a) => s + a.weight, 0);
  return {
    action,
    model_name: t.model_name,
    alias: t.alias,
    status: t.status,
    arms: t.arms.map((a) => ({ version: a.version, weight: a.weight, share: a.weight / total, gate: a.gate })),
    metric: t.metric,
    min_sample_size: t.min_sample_size,
    duration_hours: t.duration_hours,
    alpha: t.alpha,
    started_at: t.started_at,
    started_by: t.started_by,
    changed_at: t.changed_at,
    ended: t.ended ? { at: t.ended.at, by: t.ended.by, winner: t.ended.winner, decision: t.ended.decision } : null,
    splitting,
    commit,
    ref,
  };
}

/** The model the call names: model_name, else the name in model_a_id / model_b_id / arms. */
function modelNameOf(input: AbTestModelsInput): string {
  const ids = [input.model_a_id, input.model_b_id, ...(input.arms ?? []).map((a) => a.model_id)].filter((x): x is string => x !== undefined);
  const named = new Set(ids.map((id) => /^([^@/]+)[@/]/.exec(id.trim())?.[1]).filter((x): x is string => x !== undefined));
  if (input.model_name !== undefined) named.add(input.model_name);
  if (named.size === 1) return [...named][0];
  throw new DwError(
    "INVALID_INPUT",
    named.size
      ? `The arms name more than one model (${[...named].join(", ")}); an A/B test compares versions of one model.`
      : "Name the model: model_name, or model_a_id / model_b_id as name/version.",
    { details: { field: "model_name" }, hint: `An arm is ${MODEL_ID}.` },
  );
}

/** The arms a start names, as versions with weights. */
async function armsOf(ws: Workspace, input: AbTestModelsInput): Promise<{ model: string; arms: { version: number; weight: number }[] }> {
  const model = modelNameOf(input);
  if (input.arms) {
    if (input.model_a_id !== undefined || input.model_b_id !== undefined) {
      throw new DwError("INVALID_INPUT", "Give either arms, or model_a_id and model_b_id, not both.", { details: { field: "arms" } });
    }
    const arms = [];
    for (const a of input.arms) arms.push({ version: await versionOf(ws, model, input.alias, a.model_id, "arms"), weight: a.weight });
    return { model, arms };
  }
  if (input.model_b_id === undefined) {
    throw new DwError("INVALID_INPUT", "Starting an A/B test needs model_b_id (arm B), or arms.", {
      details: { field: "model_b_id" },
      hint: `An arm is ${MODEL_ID}.`,
    });
  }
  const a =
    input.model_a_id === undefined ? await servedVersion(ws, model, input.alias) : await versionOf(ws, model, input.alias, input.model_a_id, "model_a_id");
  const b = await versionOf(ws, model, input.alias, input.model_b_id, "model_b_id");
  return {
    model,
    arms: [
      { version: a, weight: input.traffic_split },
      { version: b, weight: 1 - input.traffic_split },
    ],
  };
}

async function versionOf(ws: Workspace, model: string, alias: string, id: string, field: string): Promise<number> {
  const s = id.trim();
  const m = /^(?:([^@/]+)\/)?v?([1-9]\d{0,14})$/.exec(s);
  if (m) return Number(m[2]);
  const at = /^([^@/]+)@([^@/]+)$/.exec(s);
  if (at) return servedVersion(ws, model, at[2], field);
  throw new DwError("INVALID_INPUT", `${field} '${s.slice(0, 80)}' is not a model version.`, { hint: `An arm is ${MODEL_ID}.`, details: { field } });
}

async function servedVersion(ws: Workspace, model: string, alias: string, field = "alias"): Promise<number> {
  const served = await resolveAlias(ws, model, alias).catch(() => null);
  if (served) return served.version;
  throw new DwError("NOT_FOUND", `${model}@${alias} serves no version.`, { hint: `Name the version: ${model}/<version>.`, details: { field } });
}

/**
 * Asks the server for each arm at its pinned URL: its answer waits until every worker has loaded
 * that version (src/server/createServer.ts), so the split starts without a request waiting for a
 * load. SERVER_ERROR when an arm is not served.
 */
async function confirmArmsServed(server: ServerInfo & ServerAuth, model: string, versions: number[]): Promise<void> {
  const headers = await authHeadersFor(server);
  for (const v of versions) {
    const url = endpointUrls(server.url, model, "production", v).versionMetadata;
    const res = await fetch(url, { headers }).catch((e: Error) => {
      throw new DwError("SERVER_ERROR", `The dw server at ${server.url} did not answer: ${e.message}.`, { hint: "See .dw/server.log in the workspace." });
    });
    const meta = (await res.json().catch(() => null)) as { version?: unknown } | null;
    if (res.status !== 200 || meta?.version !== v) {
      throw new DwError("SERVER_ERROR", `The A/B test was recorded, but the dw server at ${server.url} does not serve ${model} v${v} (status ${res.status}).`, {
        hint: "See .dw/server.log in the workspace.",
      });
    }
  }
}
