import type { Workspace } from "../workspace/Workspace.js";
import { readExperiment } from "../experiments/readExperiment.js";
import { attachRunToExperiment } from "../experiments/attachRunToExperiment.js";
import type { RunAttachment } from "../runs/writeRun.js";

/**
 * Adds a run to experiment `name` in writeRun's locked step: the experiment is read under the lock
 * before the run commit (an unknown one writes nothing), and the run is added to its list after.
 */
export function experimentAttachment(ws: Workspace, name: string): RunAttachment {
  return {
    prepare: async () => {
      const experiment = await readExperiment(ws, name);
      return (runId, now) => attachRunToExperiment(ws, experiment, runId, now);
    },
  };
}
