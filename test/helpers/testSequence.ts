import { test, type TestContext, type TestOptions } from "node:test";

type Step = (t: TestContext) => void | Promise<void>;

/**
 * Tests that each build on what the one before left (an experiment created, then its runs logged,
 * then compared), declared one by one like tests but run as subtests of one test named `name`, in
 * the order declared. The sequence says that it is one, and a filter (`--test-name-pattern`) cannot
 * run a later step without the earlier ones, where it would fail, or pass for nothing.
 *
 * @example
 * const step = testSequence("an experiment, in order: created, logged to, compared");
 * step("create_experiment stores a commit", async () => { ... });
 * step("log_metrics attaches the run", async () => { ... });
 */
export function testSequence(name: string, options: TestOptions = {}): (stepName: string, fn: Step) => void {
  const steps: [string, Step][] = [];
  // The body runs once the file's top level has run, so every step declared below is in `steps`.
  test(name, options, async (t) => {
    for (const [stepName, fn] of steps) await t.test(stepName, fn);
  });
  return (stepName, fn) => void steps.push([stepName, fn]);
}
