import type { ExecutionRecord, ExecutedCell } from "../../../src/execution/ExecutionRecord.js";

/**
 * A kernel session as a user makes one: load the data (a %dw line), look at it, run the feature
 * cell before the cell above it, edit and re-run that cell (declaring `features` again), a cell run
 * from a console that failed, then train. The notebook has a cell above the training cell that
 * never ran and unsaved edits in the browser.
 */
export function sessionRecord(): ExecutionRecord {
  const cell = (n: number, id: string | undefined, code: string, extra: Partial<ExecutedCell> = {}): ExecutedCell => ({
    execution_count: n,
    ...(id !== undefined ? { cell_id: id } : {}),
    code,
    started_at: `2026-12-04T16:0${n}:02.250Z`,
    duration_ms: 100 + n,
    status: "ok",
    dw_calls: [],
    ...extra,
  });
  return {
    kernel_started_at: "2026-12-04T16:00:00.000Z",
    dropped: 0,
    cells: [
      cell(1, "load", "%dw load_dataset data/seattle-weather.csv --dataset_id weather --as weather\nconst rows: number = weather.rows;", {
        dw_calls: [
          { tool: "load_dataset", line: 1, input: { path: "data/seattle-weather.csv", dataset_id: "weather" }, as: "weather", ok: true, result_id: "weather" },
        ],
      }),
      cell(2, "feat", 'const features = ["precipitation", "temp_min"];'),
      cell(3, "look", "console.log(rows);\n%dw help train_model"),
      cell(4, "feat", 'const features = ["precipitation", "temp_min", "wind"];\nfunction label(f: string) { return f.toUpperCase(); }'),
      cell(5, "gone", "throw new Error('oops');", { status: "error" }),
      cell(
        6,
        "train",
        'const run = await dw.trainModel({ dataset_id: "weather", target: "temp_max", features, algorithm: "linear_regression" });\n%dw get_feature_stats --dataset_id weather --as stats\nconsole.log(label(run.run_id), stats);',
        {
          duration_ms: undefined,
          status: "running",
          dw_calls: [
            {
              tool: "train_model",
              input: { dataset_id: "weather", target: "temp_max", features: ["precipitation", "temp_min", "wind"], algorithm: "linear_regression" },
              ok: true,
              result_id: "20261204-160602-a1b2c3",
            },
            { tool: "get_feature_stats", line: 2, input: { dataset_id: "weather" }, as: "stats", ok: true },
          ],
        },
      ),
    ],
  };
}

/** The notebook in the browser: a markdown title, load, look, feat (below look), a never-run cell, train. */
export function sessionNotebook(edit = false): string {
  const code = (id: string, source: string) => ({ cell_type: "code", id, metadata: {}, execution_count: null, outputs: [], source });
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "dw", display_name: "TypeScript (dw)", language: "typescript" } },
    cells: [
      { cell_type: "markdown", id: "title", metadata: {}, source: ["# Weather\n", "Predict the day's high."] },
      code("load", "%dw load_dataset data/seattle-weather.csv --dataset_id weather --as weather\nconst rows: number = weather.rows;"),
      code("look", "console.log(rows);\n%dw help train_model"),
      code(
        "feat",
        edit ? 'const features = ["wind"];' : 'const features = ["precipitation", "temp_min", "wind"];\nfunction label(f: string) { return f.toUpperCase(); }',
      ),
      code("skipped", "const scale = 2;"),
      code(
        "train",
        'const run = await dw.trainModel({ dataset_id: "weather", target: "temp_max", features, algorithm: "linear_regression" });\n%dw get_feature_stats --dataset_id weather --as stats\nconsole.log(label(run.run_id), stats);',
      ),
    ],
  });
}
