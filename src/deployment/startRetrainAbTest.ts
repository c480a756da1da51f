import type { DomainContext } from "../workspace/DomainContext.js";
import { registerVersion } from "../registry/registerVersion.js";
import { startAbTest } from "./startAbTest.js";
import type { RetrainAbTest } from "./RetrainOutcome.js";

/** Labelled rows per arm before a winner is declared, and how long the test is meant to run: ab_test_models' defaults. */
const MIN_SAMPLE_SIZE = 100;
const DURATION_HOURS = 168;

/**
 * Puts a retrained run on live traffic: registers it as the model's next version (through the
 * registry, as register_model does) and starts an A/B test behind the alias, the version serving
 * against the new one at equal weights, through the deploy gate each arm must pass for that alias
 * (startAbTest). A failed gate leaves the registration made and starts no test.
 *
 * @example
 * ```ts
 * const ab = await startRetrainAbTest(ctx, { model: "temp", alias: "production", servingVersion: 1, runId: run.run_id });
 * ab.arms; // [{ version: 1, weight: 1 }, { version: 2, weight: 1 }]
 * ```
 */
export async function startRetrainAbTest(
  ctx: DomainContext,
  args: { model: string; alias: string; servingVersion: number; runId: string; notebook?: string },
): Promise<RetrainAbTest> {
  const registered = await registerVersion(ctx, { runId: args.runId, modelName: args.model, notebook: args.notebook });
  const newVersion = registered.registration.version;
  const started = await startAbTest(ctx, {
    model: args.model,
    alias: args.alias,
    arms: [
      { version: args.servingVersion, weight: 1 },
      { version: newVersion, weight: 1 },
    ],
    minSampleSize: MIN_SAMPLE_SIZE,
    durationHours: DURATION_HOURS,
  });
  return {
    model: args.model,
    alias: args.alias,
    new_version: newVersion,
    arms: started.test.arms.map((a) => ({ version: a.version, weight: a.weight })),
    min_sample_size: started.test.min_sample_size,
    commit: started.commit,
  };
}
