import type * as ts from "@tslab/typescript-for-tslab";

/** The type package's name: cells' programs include it as they include `@types/node`. */
export const KERNEL_GLOBALS_PACKAGE = "dw-kernel-globals";

/** The global declarations the kernel gives every cell's program (the `DwTools` interface). */
export interface KernelGlobals {
  /**
   * Sets the declarations. A program that already read them is told the file changed, so its next
   * build parses this one file again and reuses every other.
   */
  set(text: string): void;
}

const patched = new WeakMap<object, KernelGlobals>();

/**
 * Serves the kernel's global declarations to the TypeScript programs built through `sys` as a type
 * package of their own, `@types/dw-kernel-globals`, present in every `node_modules/@types` folder
 * listing (beside `node`, declareOnlyNodeGlobals.ts) and held in memory.
 *
 * Why not in the prelude cell: tslab carries each cell's declarations into the next cell's
 * declaration file, which is parsed and checked again for every cell; the `DwTools` interface (a
 * typed method per tool, ~35 KB with its doc comments) was ~0.15 s of a kernel's first reply and
 * ~50 ms of every cell after it. As a file of its own it is parsed once, while the program is
 * built, and reused by every later build.
 *
 * Until declarations arrive the file is empty, so a program built before they do is still whole;
 * `pending` is asked when the first program reads the file, so declarations that arrived during
 * that build are read by it instead of costing a second parse.
 *
 * @example
 * ```ts
 * const globals = serveKernelGlobals(ts.sys, () => undefined); // before tslab's createConverter()
 * globals.set("interface DwTools { help(tool?: string): string }");
 * ```
 */
export function serveKernelGlobals(sys: ts.System, pending: () => string | undefined): KernelGlobals {
  const existing = patched.get(sys);
  if (existing) return existing;
  let text = "";
  let version = 0;
  // Each program's watcher of the file, with the path it watches.
  const watchers = new Map<ts.FileWatcherCallback, string>();
  const globals: KernelGlobals = {
    set(next) {
      if (next === text) return;
      text = next;
      version++;
      // 1 is FileWatcherEventKind.Changed; the enum is not imported, so that this file loads without TypeScript.
      for (const [watcher, path] of watchers) watcher(path, 1);
    },
  };

  const getDirectories = sys.getDirectories?.bind(sys);
  if (getDirectories) {
    sys.getDirectories = (path: string) => {
      const dirs = getDirectories(path);
      return isTypesFolder(path) && !dirs.includes(KERNEL_GLOBALS_PACKAGE) ? [...dirs, KERNEL_GLOBALS_PACKAGE] : dirs;
    };
  }
  const directoryExists = sys.directoryExists.bind(sys);
  sys.directoryExists = (path: string) => isPackageFolder(path) || directoryExists(path);
  const fileExists = sys.fileExists.bind(sys);
  sys.fileExists = (path: string) => isPackageIndex(path) || fileExists(path);
  const readFile = sys.readFile.bind(sys);
  sys.readFile = (path: string, encoding?: string) => {
    if (!isPackageIndex(path)) return readFile(path, encoding);
    // Only while no program holds the file (the first build): a program told of a change while it
    // rebuilds would schedule another build inside tslab's, which tslab refuses. Later declarations
    // come through `set`, between requests.
    const next = watchers.size === 0 ? pending() : undefined;
    if (next !== undefined && next !== text) {
      text = next;
      version++;
    }
    return text;
  };
  const getModifiedTime = sys.getModifiedTime?.bind(sys);
  if (getModifiedTime) sys.getModifiedTime = (path: string) => (isPackageIndex(path) ? new Date(version) : getModifiedTime(path));
  const watchFile = sys.watchFile?.bind(sys);
  if (watchFile) {
    sys.watchFile = (path, callback, pollingInterval, options) => {
      if (!isPackageIndex(path)) return watchFile(path, callback, pollingInterval, options);
      watchers.set(callback, path);
      return { close: () => void watchers.delete(callback) };
    };
  }
  patched.set(sys, globals);
  return globals;
}

function isTypesFolder(path: string): boolean {
  return /(^|[\\/])node_modules[\\/]@types[\\/]?$/.test(path);
}

function isPackageFolder(path: string): boolean {
  return /(^|[\\/])node_modules[\\/]@types[\\/]dw-kernel-globals[\\/]?$/.test(path);
}

function isPackageIndex(path: string): boolean {
  return /(^|[\\/])node_modules[\\/]@types[\\/]dw-kernel-globals[\\/]index\.d\.ts$/.test(path);
}
