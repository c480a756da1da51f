import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, posix, relative, resolve } from "node:path";
import ts from "typescript";

/**
 * The layer rules of docs/architecture.md ("## Layers") as data, the import graph of the source
 * tree, and the checks the layer test runs over them. Kept apart from the test so the checks can be
 * run over an in-memory graph too (that is how the test shows it can fail).
 */

/** One import of one file: `from` and `to` are repository paths (`src/data/readCsv.ts`). */
export interface ImportEdge {
  from: string;
  to: string;
  /** The specifier as written, e.g. `../runs/runId.js`. */
  specifier: string;
}

export interface LayerTable {
  /** Layers from the bottom up, each with the folders and files it holds. */
  layers: { name: string; paths: string[] }[];
  /** The layer whose areas may import each other only as `areas` allows. */
  areaLayer: string;
  /** Per domain area: its folder and the other areas it may import. */
  areas: { name: string; path: string; mayImport: string[] }[];
}

/** Where a file sits: its layer (index from the bottom), and its domain area when it has one. */
export interface Place {
  layer: number;
  layerName: string;
  area?: string;
}

/** The cells of a Markdown table's body rows under the first line that starts with `heading`. */
function tableRows(markdown: string, heading: string, section: string): string[][] {
  const start = section.indexOf(heading);
  if (start < 0) throw new Error(`docs/architecture.md: the Layers section has no table headed '${heading}'.`);
  const rows: string[][] = [];
  for (const line of section.slice(start).split("\n").slice(2)) {
    if (!line.startsWith("|")) break;
    rows.push(
      line
        .slice(1, line.lastIndexOf("|"))
        .split("|")
        .map((c) => c.trim()),
    );
  }
  if (rows.length === 0) throw new Error(`docs/architecture.md: the table headed '${heading}' has no rows (${markdown.length} characters read).`);
  return rows;
}

/** The `code` spans of a table cell: `src/data`, `kernel`. An em dash or empty cell is none. */
const codeSpans = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);

/**
 * The two tables of docs/architecture.md's "## Layers" section: `| layer | folders and files |`
 * (bottom layer first) and `| domain area | folder | may import |`.
 */
export function parseLayerTable(markdown: string): LayerTable {
  const start = markdown.indexOf("\n## Layers");
  if (start < 0) throw new Error("docs/architecture.md has no '## Layers' section.");
  const next = markdown.indexOf("\n## ", start + 1);
  const section = markdown.slice(start, next < 0 ? undefined : next);
  const layers = tableRows(markdown, "| layer |", section).map(([name, paths]) => ({ name, paths: codeSpans(paths) }));
  const areas = tableRows(markdown, "| domain area |", section).map(([name, path, may]) => ({ name, path: codeSpans(path)[0], mayImport: codeSpans(may) }));
  const areaLayer = layers.find((l) => areas.some((a) => l.paths.includes(a.path)))?.name;
  if (!areaLayer) throw new Error("docs/architecture.md: the domain areas' folders are in no layer of the layer table.");
  const areaPaths = layers.find((l) => l.name === areaLayer)!.paths;
  for (const a of areas) {
    if (!areaPaths.includes(a.path)) throw new Error(`docs/architecture.md: the domain area ${a.name} (${a.path}) is not in the ${areaLayer} layer.`);
  }
  for (const p of areaPaths) {
    if (!areas.some((a) => a.path === p)) throw new Error(`docs/architecture.md: ${p} is in the ${areaLayer} layer but has no row in the domain area table.`);
  }
  // An area names only areas listed before it, so no two areas can import each other.
  areas.forEach((a, i) => {
    for (const m of a.mayImport) {
      if (!areas.slice(0, i).some((b) => b.name === m))
        throw new Error(`docs/architecture.md: the domain area ${a.name} may import '${m}', which is not listed above it in the domain area table.`);
    }
  });
  return { layers, areaLayer, areas };
}

/** The longest table path that is the file itself or a folder holding it. */
function longestMatch(paths: readonly string[], file: string): string | undefined {
  let best: string | undefined;
  for (const p of paths) if ((file === p || file.startsWith(`${p}/`)) && (!best || p.length > best.length)) best = p;
  return best;
}

/** The layer (and domain area) of a repository path, or undefined when the table does not place it. */
export function placeOf(table: LayerTable, file: string): Place | undefined {
  let found: { layer: number; path: string } | undefined;
  table.layers.forEach((l, i) => {
    const p = longestMatch(l.paths, file);
    if (p && (!found || p.length > found.path.length)) found = { layer: i, path: p };
  });
  if (!found) return undefined;
  const layerName = table.layers[found.layer].name;
  const area = layerName === table.areaLayer ? table.areas.find((a) => a.path === longestMatch([a.path], file))?.name : undefined;
  return { layer: found.layer, layerName, area };
}

/**
 * What is wrong with the imports: a file the table does not place, an import that runs upward (to
 * a higher layer), and, between domain areas, an import the area table does not allow. Each
 * message names the file, the import and both places.
 */
export function layerViolations(table: LayerTable, files: readonly string[], edges: readonly ImportEdge[]): string[] {
  const problems: string[] = [];
  for (const f of files) {
    if (!placeOf(table, f)) problems.push(`${f} is in no layer: add its folder to the layer table in docs/architecture.md (## Layers).`);
  }
  for (const e of edges) {
    const from = placeOf(table, e.from);
    const to = placeOf(table, e.to);
    if (!from || !to) {
      if (from && !to) problems.push(`${e.from} imports '${e.specifier}' (${e.to}), which is in no layer of docs/architecture.md.`);
      continue;
    }
    const what = `${e.from} imports '${e.specifier}' (${e.to})`;
    if (to.layer > from.layer) {
      problems.push(
        `${what}: an upward import, from the ${from.layerName} layer (${from.layer + 1}) to the ${to.layerName} layer (${to.layer + 1}). ` +
          "Move the shared piece down, or the importer up (docs/architecture.md, ## Layers).",
      );
    } else if (from.area && to.area && from.area !== to.area) {
      const allowed = table.areas.find((a) => a.name === from.area)!.mayImport;
      if (!allowed.includes(to.area)) {
        problems.push(
          `${what}: the domain area ${from.area} may import ${allowed.length ? `only ${allowed.join(", ")}` : "no other domain area"}, not ${to.area} ` +
            "(both in the domain areas layer; docs/architecture.md, ## Layers).",
        );
      }
    }
  }
  return problems;
}

/** Every import cycle between files, each as the files in import order with the first repeated at the end. */
export function importCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  // Tarjan's strongly connected components; a component of two or more files (or a file that
  // imports itself) holds a cycle, reported as one path through it.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (next.get(v) ?? []).includes(v)) cycles.push(cyclePath(next, new Set(component), component.sort()[0]));
  };
  for (const v of [...next.keys()].sort()) if (!index.has(v)) visit(v);
  return cycles.sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

/** A shortest path from `start` back to itself inside one strongly connected component. */
function cyclePath(next: Map<string, string[]>, component: Set<string>, start: string): string[] {
  const parent = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of next.get(v) ?? []) {
      if (!component.has(w)) continue;
      if (w === start) {
        const between: string[] = [];
        for (let u = v; u !== start; u = parent.get(u)!) between.unshift(u);
        return [start, ...between, start];
      }
      if (!parent.has(w)) {
        parent.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

/** The TypeScript source files under the given folders of the repository, as repository paths. */
export function sourceFiles(repo: string, folders: readonly string[]): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
      const p = join(dir, d.name);
      if (d.isDirectory()) return d.name === "node_modules" ? [] : walk(p);
      return /\.tsx?$/.test(d.name) && !d.name.endsWith(".d.ts") ? [p] : [];
    });
  return folders
    .flatMap((f) => walk(join(repo, f)))
    .map((p) => relative(repo, p).split("\\").join("/"))
    .sort();
}

/** The file a relative specifier names (`./x.js` → `x.ts`, `x.tsx`, or `x/index.ts`), or undefined. */
function resolveSpecifier(repo: string, from: string, specifier: string): string | undefined {
  const base = resolve(repo, dirname(from), specifier);
  const stem = base.replace(/\.(m?js|jsx)$/, "");
  for (const candidate of [`${stem}.ts`, `${stem}.tsx`, base, join(base, "index.ts")]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return relative(repo, candidate).split("\\").join("/");
  }
  return undefined;
}

/**
 * Every relative import of the files (`import`, `import type`, `export … from`, `import()`), read
 * with TypeScript's own scanner so comments and strings are never taken for imports. Package
 * imports (`zod`, `node:fs`) are not edges. A relative import that names no file is an error.
 */
export function importEdges(repo: string, files: readonly string[]): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const from of files) {
    const info = ts.preProcessFile(readFileSync(join(repo, from), "utf8"), true, true);
    for (const { fileName: specifier } of info.importedFiles) {
      if (!specifier.startsWith(".")) continue;
      const to = resolveSpecifier(repo, from, specifier);
      if (!to) throw new Error(`${from} imports '${specifier}', which names no file (${posix.join(dirname(from), specifier)}).`);
      edges.push({ from, to, specifier });
    }
  }
  return edges;
}
