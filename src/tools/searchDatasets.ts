import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { readAllDatasetRecords } from "../lineage/datasetLineage.js";
import type { DatasetRecord } from "../data/datasetRecords.js";

export const SearchDatasetsInput = z.strictObject({
  query: z
    .string()
    .optional()
    .describe("Words to look for in dataset ids, sources, column names, tags and SQL queries; every word must match. Empty lists every dataset."),
  tags: z.array(z.string().min(1)).optional().describe("Only datasets carrying all of these tags."),
  limit: z.number().int().min(1).max(1000).optional().describe("At most this many results (default 50)."),
});
export type SearchDatasetsInput = z.infer<typeof SearchDatasetsInput>;

export const DatasetHit = z.object({
  dataset_id: z.string(),
  source: z.string(),
  format: z.string(),
  rows: z.number().int(),
  columns: z.array(z.string()),
  tags: z.array(z.string()),
  loaded_at: z.string(),
  sha256: z.string(),
  score: z.number().describe("Higher is a better match: exact names weigh more than parts of names; ids more than columns."),
  matched: z.array(z.string()).describe("What matched, e.g. 'id:weather', 'column:temp_max', 'tag:raw'."),
});

export const SearchDatasetsOutput = z.object({
  query: z.string(),
  total: z.number().int().describe("Datasets that match, before the limit."),
  datasets: z.array(DatasetHit),
});
export type SearchDatasetsOutput = z.infer<typeof SearchDatasetsOutput>;

/** How much a match on each part of a record counts: [exact, contains]. */
const WEIGHTS = { id: [10, 5], tag: [6, 3], column: [4, 2], source: [3, 2], query: [2, 1] } as const;

/**
 * Finds datasets in the workspace by name, column name, tag, source or SQL text, ranked by how
 * well they match. Case does not matter; `-` and `_` count as the same.
 *
 * @example
 * ```ts
 * const hits = await dw.searchDatasets({ query: "temp" });
 * hits.datasets[0].matched; // ["column:temp_max", "column:temp_min"]
 * ```
 */
export const searchDatasets = defineTool({
  name: "search_datasets",
  annotations: { effect: "reads" },
  description: "Search the workspace's datasets by id, column name, tag, source or SQL query text; ranked; an empty query lists them all.",
  input: SearchDatasetsInput,
  output: SearchDatasetsOutput,
  magic: { positional: "query" },
  async run(input, ctx) {
    const query = (input.query ?? "").trim();
    const terms = query.split(/\s+/).filter(Boolean).map(norm);
    const wanted = (input.tags ?? []).map(norm);
    const hits = [];
    for (const rec of await readAllDatasetRecords(ctx.workspace)) {
      const tags = rec.tags ?? [];
      if (!wanted.every((t) => tags.some((x) => norm(x) === t))) continue;
      const m = match(rec, terms);
      if (!m) continue;
      hits.push({
        dataset_id: rec.dataset_id,
        source: rec.source,
        format: rec.format,
        rows: rec.rows,
        columns: rec.columns.map((c) => c.name),
        tags,
        loaded_at: rec.loaded_at,
        sha256: rec.sha256,
        ...m,
      });
    }
    hits.sort((a, b) => b.score - a.score || a.dataset_id.localeCompare(b.dataset_id));
    return { query, total: hits.length, datasets: hits.slice(0, input.limit ?? 50) };
  },
});

function norm(s: string): string {
  return s.toLowerCase().replace(/-/g, "_");
}

/** The score and the matched parts, or null when some term matches nothing. */
function match(rec: DatasetRecord, terms: string[]): { score: number; matched: string[] } | null {
  const parts: [keyof typeof WEIGHTS, string][] = [
    ["id", rec.dataset_id],
    ...(rec.tags ?? []).map((t): [keyof typeof WEIGHTS, string] => ["tag", t]),
    ...rec.columns.map((c): [keyof typeof WEIGHTS, string] => ["column", c.name]),
    ["source", rec.source],
    ...(rec.query ? [["query", rec.query] as [keyof typeof WEIGHTS, string]] : []),
  ];
  let score = 0;
  const matched: string[] = [];
  for (const term of terms) {
    let best = 0;
    for (const [kind, text] of parts) {
      const t = norm(text);
      const w = t === term ? WEIGHTS[kind][0] : t.includes(term) ? WEIGHTS[kind][1] : 0;
      if (w === 0) continue;
      score += w;
      best = Math.max(best, w);
      const label = `${kind}:${kind === "query" ? "…" : text}`;
      if (!matched.includes(label)) matched.push(label);
    }
    if (best === 0) return null;
  }
  return { score, matched };
}
