import { toolEntries, type ToolEntry, type ToolSchemaDoc } from "./toolsView.js";

/** What webpack gives for `import.meta.webpackContext`: the matching files' keys, and each file's module. */
interface WebpackContext {
  keys(): string[];
  (key: string): unknown;
}

let catalog: ToolEntry[] | null = null;

/**
 * Every tool of dw, from the schema documents schema/tools/*.json (generated from the tools' zod
 * schemas and checked fresh by the test suite), bundled when the extension is built. Bundled
 * rather than asked from the kernel so the Tools panel can list and search the tools, and show
 * their forms, before a dw kernel is connected; the kernel validates every call against the same
 * zod schemas, and extension and kernel come from the same build of dw.
 */
export function toolCatalog(): readonly ToolEntry[] {
  if (catalog) return catalog;
  // The path is relative to this file once compiled: labextension/lib/labextension/src/widgets/.
  const context = (import.meta as ImportMeta & { webpackContext(dir: string, options: { recursive: boolean; regExp: RegExp }): WebpackContext }).webpackContext(
    "../../../../../schema/tools",
    { recursive: false, regExp: /\.json$/ },
  );
  catalog = toolEntries(context.keys().map((key) => context(key) as ToolSchemaDoc));
  return catalog;
}
