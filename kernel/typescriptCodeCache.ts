import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Script } from "node:vm";

/** What loading TypeScript through the code cache did, and how to write the cache for next time. */
export interface TypeScriptCodeCache {
  /** "used": loaded with the cache; "written later": no usable cache yet; "off": loaded as usual. */
  state: "used" | "missing" | "rejected" | "off";
  /** Writes the cache (V8's compiled code of the functions run so far) when it was not used. */
  save(): void;
}

/**
 * Loads tslab's TypeScript compiler (one 8 MB CommonJS file) with V8's code cache, before tslab
 * requires it, so a kernel start does not parse and compile it again: measured on this machine,
 * loading it went from ~270 to ~90 ms of CPU and the first program's build from ~1.75 to ~1.6 s.
 * The cache is written once, after the first cells ran (so it holds the parser's and checker's
 * compiled functions too), beside node_modules (`node_modules/.cache/dw-kernel/`), keyed by the
 * file's size and mtime, Node's version and the CPU; V8 itself refuses a cache that does not match
 * its build or flags, and then the file is loaded as usual and the cache written again. Anything
 * that fails here leaves `require` to load the file as it always does.
 *
 * @example
 * ```ts
 * const cache = loadTypeScriptWithCodeCache(); // before importing tslab
 * setTimeout(() => cache.save(), 1000).unref(); // once the first cells ran
 * ```
 */
export function loadTypeScriptWithCodeCache(): TypeScriptCodeCache {
  const off: TypeScriptCodeCache = { state: "off", save: () => undefined };
  try {
    const fromTslab = createRequire(createRequire(import.meta.url).resolve("tslab/package.json"));
    const filename = fromTslab.resolve("@tslab/typescript-for-tslab");
    if (fromTslab.cache[filename]) return off;
    const stat = statSync(filename);
    const modules = filename.slice(0, filename.lastIndexOf("node_modules") + "node_modules".length);
    const cacheFile = join(modules, ".cache", "dw-kernel", `typescript-${stat.size}-${Math.floor(stat.mtimeMs)}-${process.version}-${process.arch}.v8`);
    let cachedData: Buffer | undefined;
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
    const source = readFileSync(filename, "utf8");
    // The same wrapper CommonJS gives a module, so the code runs as require would run it.
    const script = new Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n})`, { filename, cachedData });
    const mod = new Module(filename);
    mod.filename = filename;
    mod.paths = fromTslab.resolve.paths(filename) ?? [];
    (script.runInThisContext() as (...args: unknown[]) => void)(mod.exports, createRequire(filename), mod, filename, dirname(filename));
    mod.loaded = true;
    fromTslab.cache[filename] = mod;
    const state = cachedData === undefined ? "missing" : script.cachedDataRejected ? "rejected" : "used";
    return {
      state,
      save() {
        if (state === "used") return;
        try {
          mkdirSync(dirname(cacheFile), { recursive: true });
          const tmp = `${cacheFile}.${process.pid}.tmp`;
          writeFileSync(tmp, script.createCachedData());
          renameSync(tmp, cacheFile);
        } catch {
          // A read-only install: every start loads the file as usual.
        }
      },
    };
  } catch {
    return off;
  }
}

/** Loaded by startKernel.ts and the converter thread before anything imports tslab. */
export const typescriptCodeCache = loadTypeScriptWithCodeCache();
