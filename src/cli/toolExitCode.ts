import { z } from "zod";

/** The exit code of `dw reproduce` (reproduce_run) when the model was rebuilt but is not the same. */
export const EXIT_NOT_REPRODUCED = 3;

const Reproduced = z.object({ identical: z.boolean() });

/**
 * The exit code of a tool call that succeeded: 0, except reproduce_run, whose answer is a verdict
 * a script branches on without reading JSON — 0 when the rebuilt model.json has the same bytes and
 * metrics, EXIT_NOT_REPRODUCED (3) when it differs. (1 stays "the tool failed", e.g. the data is
 * missing or changed; 2 a usage error.)
 *
 * @example
 * ```ts
 * toolExitCode("reproduce_run", { identical: false }); // 3
 * ```
 */
export function toolExitCode(tool: string, output: unknown): number {
  if (tool !== "reproduce_run") return 0;
  const r = Reproduced.safeParse(output);
  return r.success && r.data.identical ? 0 : EXIT_NOT_REPRODUCED;
}
