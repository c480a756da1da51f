// Run by determinism.integration.test.ts as a second `node` process: trains each spec given (JSON,
// argv[3]) in the workspace argv[2] and prints one JSON line per spec with model.json's text and
// the metrics, so the test compares bytes made by another process with its own.
import { openWorkspace } from "../../../src/workspace/Workspace.js";
import { trainedModelText, type DeterminismSpec } from "./trainedModelText.js";

const [, , dir, specs] = process.argv;
const ws = await openWorkspace(dir!);
for (const spec of JSON.parse(specs!) as DeterminismSpec[]) process.stdout.write(JSON.stringify(await trainedModelText(ws, spec)) + "\n");
// The fit worker is kept warm for a few seconds; the answer is written, so end now.
process.exit(0);
