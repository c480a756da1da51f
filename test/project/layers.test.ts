import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { importCycles, importEdges, layerViolations, parseLayerTable, sourceFiles, type ImportEdge } from "./importGraph.js";

// The architecture as a test, not a wish: the layers of docs/architecture.md hold for every import
// in src/ and kernel/ (labextension/src is built apart, with its own compiler settings).
const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const table = parseLayerTable(readFileSync(resolve(repo, "docs", "architecture.md"), "utf8"));
const files = sourceFiles(repo, ["src", "kernel"]);
const edges = importEdges(repo, files);

test("every import in src/ and kernel/ runs down the layers of docs/architecture.md, and domain areas import only what the table allows", () => {
  assert.ok(files.length > 100 && edges.length > 300, `read ${files.length} files and ${edges.length} imports; expected the whole tree`);
  const problems = layerViolations(table, files, edges);
  assert.deepEqual(problems, [], `${problems.length} import(s) break the layers:\n${problems.join("\n")}`);
});

test("no import cycle between files in src/ and kernel/", () => {
  const cycles = importCycles(edges);
  assert.deepEqual(cycles, [], `${cycles.length} import cycle(s):\n${cycles.map((c) => c.join(" → ")).join("\n")}`);
});

// The checks themselves, over a made-up graph, so a test that passes is known to be able to fail.
const fake = parseLayerTable(`# t

## Layers
| layer | folders and files |
| --- | --- |
| foundations | \`src/workspace\` |
| data | \`src/data\` |
| domain areas | \`src/runs\`, \`src/registry\`, \`src/quality\` |
| tools | \`src/tools\`, \`src/index.ts\` |

| domain area | folder | may import |
| --- | --- | --- |
| runs | \`src/runs\` | — |
| registry | \`src/registry\` | \`runs\` |
| quality | \`src/quality\` | — |

## Next
`);
const edge = (from: string, to: string): ImportEdge => ({ from, to, specifier: `./${to.split("/").pop()!.replace(/\.ts$/, ".js")}` });

test("the checker reports an upward import, naming the file, the import and both layers", () => {
  const problems = layerViolations(fake, ["src/data/lineage.ts", "src/runs/runId.ts"], [edge("src/data/lineage.ts", "src/runs/runId.ts")]);
  assert.equal(problems.length, 1);
  assert.match(
    problems[0],
    /^src\/data\/lineage\.ts imports '\.\/runId\.js' \(src\/runs\/runId\.ts\): an upward import, from the data layer \(2\) to the domain areas layer \(3\)/,
  );
});

test("the checker allows imports down and within a layer, and between areas only as the area table says", () => {
  const ok = [
    edge("src/tools/train.ts", "src/runs/runId.ts"),
    edge("src/registry/read.ts", "src/runs/runId.ts"),
    edge("src/runs/runId.ts", "src/data/readCsv.ts"),
    edge("src/index.ts", "src/tools/train.ts"),
  ];
  assert.deepEqual(layerViolations(fake, [], ok), []);
  const problems = layerViolations(fake, [], [edge("src/runs/runId.ts", "src/registry/read.ts"), edge("src/quality/gate.ts", "src/runs/runId.ts")]);
  assert.equal(problems.length, 2);
  assert.match(problems[0], /the domain area runs may import no other domain area, not registry/);
  assert.match(problems[1], /the domain area quality may import no other domain area, not runs/);
});

test("the checker reports a file in no layer, and every cycle as a path of files", () => {
  assert.match(layerViolations(fake, ["src/mystery/x.ts"], [])[0], /^src\/mystery\/x\.ts is in no layer/);
  const cycles = importCycles([
    edge("src/models/pipeline.ts", "src/models/interactionStep.ts"),
    edge("src/models/interactionStep.ts", "src/models/pipeline.ts"),
    edge("src/models/scoreModel.ts", "src/models/pipeline.ts"),
    edge("src/a.ts", "src/b.ts"),
    edge("src/b.ts", "src/c.ts"),
    edge("src/c.ts", "src/a.ts"),
    edge("src/self.ts", "src/self.ts"),
  ]);
  assert.deepEqual(cycles, [
    ["src/a.ts", "src/b.ts", "src/c.ts", "src/a.ts"],
    ["src/models/interactionStep.ts", "src/models/pipeline.ts", "src/models/interactionStep.ts"],
    ["src/self.ts", "src/self.ts"],
  ]);
});

test("the area table may let an area import only the areas listed above it", () => {
  const swapped = (rows: string) =>
    `# t\n\n## Layers\n| layer | folders and files |\n| --- | --- |\n| domain areas | \`src/runs\`, \`src/quality\` |\n\n| domain area | folder | may import |\n| --- | --- | --- |\n${rows}`;
  assert.doesNotThrow(() => parseLayerTable(swapped("| runs | `src/runs` | — |\n| quality | `src/quality` | `runs` |\n")));
  assert.throws(
    () => parseLayerTable(swapped("| runs | `src/runs` | `quality` |\n| quality | `src/quality` | `runs` |\n")),
    /the domain area runs may import 'quality', which is not listed above it/,
  );
  assert.throws(() => parseLayerTable(swapped("| runs | `src/runs` | — |\n")), /src\/quality is in the domain areas layer but has no row/);
});
