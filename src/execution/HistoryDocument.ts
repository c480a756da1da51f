import { z } from "zod";
import { ExecutionRecord, NotebookSource } from "./ExecutionRecord.js";
import { Finding } from "./Finding.js";

/** execution/history.json in a run commit: what the kernel executed before the run, and what dw found in it. */
export const HistoryDocument = z.object({
  execution: ExecutionRecord,
  findings: z.array(Finding),
  notebook_source: NotebookSource.nullable(),
});
export type HistoryDocument = z.infer<typeof HistoryDocument>;
