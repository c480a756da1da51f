import { z } from "zod";

/**
 * Something about the kernel's history that a reader of a run must know to trust it: the state the
 * model came from is not what the notebook shows top to bottom. Stored in execution/history.json
 * and shown in execution/history.ts's header and by get_run_history.
 */
export const Finding = z.object({
  kind: z
    .enum(["rerun", "edited_after_run", "out_of_order", "unsaved_edits", "not_run", "not_in_notebook", "errored_before"])
    .describe(
      "rerun: a cell ran more than once with the same code; edited_after_run: a cell's code changed between its runs, or the notebook now holds other code than last ran; out_of_order: a cell ran after a cell below it; unsaved_edits: the browser's notebook differs from the file on disk; not_run: a code cell above the training cell never ran; not_in_notebook: a cell that ran is no longer in the notebook; errored_before: a cell failed before the run.",
    ),
  cell_id: z.string().optional().describe("The cell concerned (nbformat id), when it has one."),
  execution_counts: z.array(z.number().int().nonnegative()).describe("The execution counts concerned, in execution order ([3] in the notebook's gutter)."),
  message: z.string().describe("What happened and what it means for the run, in words."),
});
export type Finding = z.infer<typeof Finding>;
