import { z } from "zod";

/** One line of a run's `metrics_log.jsonl`: a metric value at a step, written by log_metrics. */
export const MetricPoint = z.looseObject({ key: z.string(), value: z.number(), step: z.number(), timestamp: z.string() });
export type MetricPoint = z.infer<typeof MetricPoint>;
