import { z } from "zod";
import { DwError } from "../../errors/DwError.js";

// The parts of the tracking server's answers that a sync reads, checked before use. Loose
// objects: the fields a newer MLflow adds are kept, not refused. Repeated fields MLflow leaves out
// when empty default to [].

const KeyValue = z.looseObject({ key: z.string(), value: z.string() });

export const MlflowExperiment = z.looseObject({
  experiment_id: z.string(),
  name: z.string(),
  lifecycle_stage: z.string().optional(),
});
export type MlflowExperiment = z.infer<typeof MlflowExperiment>;

export const MlflowMetric = z.looseObject({
  key: z.string(),
  value: z.union([z.number(), z.string()]),
  timestamp: z.coerce.number(),
  step: z.coerce.number().default(0),
});
export type MlflowMetric = z.infer<typeof MlflowMetric>;

export const MlflowRun = z.looseObject({
  info: z.looseObject({
    run_id: z.string(),
    experiment_id: z.string(),
    status: z.string().optional(),
    end_time: z.coerce.number().optional(),
    artifact_uri: z.string().optional(),
  }),
  data: z
    .looseObject({
      tags: z.array(KeyValue).default([]),
      params: z.array(KeyValue).default([]),
      metrics: z.array(MlflowMetric).default([]),
    })
    .default({ tags: [], params: [], metrics: [] }),
});
export type MlflowRun = z.infer<typeof MlflowRun>;

export const RunsPage = z.looseObject({ runs: z.array(MlflowRun).default([]), next_page_token: z.string().optional() });
export const RunAnswer = z.looseObject({ run: MlflowRun });
export const ExperimentAnswer = z.looseObject({ experiment: MlflowExperiment });
export const CreatedExperiment = z.looseObject({ experiment_id: z.string() });
export const ExperimentsPage = z.looseObject({ experiments: z.array(MlflowExperiment).default([]), next_page_token: z.string().optional() });
export const MetricHistoryPage = z.looseObject({ metrics: z.array(MlflowMetric).default([]), next_page_token: z.string().optional() });

export const MlflowModelVersion = z.looseObject({
  name: z.string(),
  version: z.string(),
  description: z.string().optional(),
  run_id: z.string().optional(),
  tags: z.array(KeyValue).default([]),
});
export type MlflowModelVersion = z.infer<typeof MlflowModelVersion>;

export const ModelVersionsPage = z.looseObject({ model_versions: z.array(MlflowModelVersion).default([]), next_page_token: z.string().optional() });
export const ModelVersionAnswer = z.looseObject({ model_version: MlflowModelVersion });
export const RegisteredModelAnswer = z.looseObject({
  registered_model: z.looseObject({
    name: z.string(),
    aliases: z.array(z.looseObject({ alias: z.string(), version: z.string() })).default([]),
  }),
});

/** Tags (MLflow's list of {key, value}) as a record. */
export function tagRecord(tags: readonly { key: string; value: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags) out[t.key] = t.value;
  return out;
}

/**
 * `answer` checked against `schema`; an answer of another shape means the URL does not name a
 * tracking server dw can talk to (or an MLflow too different), a CONNECTION_ERROR naming the
 * request and the field.
 */
export function readAnswer<S extends z.ZodType>(schema: S, answer: unknown, url: string, request: string): z.output<S> {
  const parsed = schema.safeParse(answer);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new DwError(
    "CONNECTION_ERROR",
    `The MLflow tracking server at ${url} answered ${request} in an unexpected shape (at ${issue?.path.join(".") || "the top"}: ${issue?.message}).`,
    {
      hint: "Check that --url names an MLflow tracking server (MLflow 2.9 or later, which has model aliases).",
      details: { url, request },
    },
  );
}
