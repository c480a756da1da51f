import type * as ts from "@tslab/typescript-for-tslab";

const patched = new WeakSet<object>();

/**
 * Cells see the global declarations of `@types/node` and of no other `@types` package.
 *
 * Without a `types` option TypeScript parses, binds and checks every package under each
 * `node_modules/@types` above the notebook's folder when a converter starts. A notebook inside this
 * checkout (examples/) finds dw's own 40 (d3, react, … from the labextension's build): about 1 s of
 * the kernel's start, for declarations no cell uses. tslab builds its compiler options itself, so
 * the way in is the system it reads `@types` folders through: listing a `node_modules/@types`
 * folder answers `node` alone. A package's types still come with the import that uses it (module
 * resolution finds `@types/x` for `import … from "x"`); only globals declared by a package no cell
 * imports (e.g. @types/jest's `describe`) are not there.
 *
 * @example
 * ```ts
 * declareOnlyNodeGlobals(ts.sys); // before tslab's createConverter()
 * ```
 */
export function declareOnlyNodeGlobals(sys: ts.System): void {
  if (patched.has(sys) || !sys.getDirectories) return;
  patched.add(sys);
  const list = sys.getDirectories.bind(sys);
  sys.getDirectories = (path: string) => {
    const dirs = list(path);
    return isTypesFolder(path) ? dirs.filter((d) => d === "node") : dirs;
  };
}

function isTypesFolder(path: string): boolean {
  return /(^|[\\/])node_modules[\\/]@types[\\/]?$/.test(path);
}
