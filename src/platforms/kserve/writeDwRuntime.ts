import { copyFile, mkdir, readdir, readFile, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DwError } from "../../errors/DwError.js";
import { atomicWrite } from "../../workspace/atomicWrite.js";
import { documentText } from "../../workspace/documentText.js";
import { type PackageLock, runtimeLock } from "./runtimeLock.js";

/** dw's own folder (package.json, bin/, dist/), found from this compiled file: dist/src/platforms/kserve/ is four levels down. */
export const DW_HOME = fileURLToPath(new URL("../../../../", import.meta.url));

/**
 * The module specifiers compiled JavaScript imports: static imports and re-exports (tsc writes
 * each on one line of its own: import, names, from, the quoted specifier), bare side-effect
 * imports, and dynamic import calls with a literal. Only whole lines and the call form count, so
 * the word "import" in a message never does.
 */
const IMPORTS = [/^\s*(?:import|export)\b[^"'\n]*?\bfrom\s*"([^"\s]+)";?\s*$/gm, /^\s*import\s*"([^"\s]+)";?\s*$/gm, /\bimport\(\s*"([^"\s]+)"\s*\)/g];
/** A package's name, with an optional subpath: what a bare specifier is. */
const PACKAGE_SPECIFIER = /^(?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(?:\/.*)?$/i;

/** What was written: the files' count and bytes, and the packages the image installs. */
export interface DwRuntime {
  files: number;
  bytes: number;
  dependencies: Record<string, string>;
}

/**
 * Writes the dw that runs in the container into `dir`: bin/dw.js and the compiled dist/src (its
 * JavaScript and WebAssembly, no source maps), a package.json whose dependencies are the packages
 * that code imports (found by reading every file copied, each at the version dw's own package.json
 * pins: the notebook kernel's packages, tslab and zeromq, are not among them), and a
 * package-lock.json cut from dw's own (runtimeLock), so `npm ci --omit=dev` in the image installs
 * the very versions this dw was built and tested with. dw is not on npm; this is how the image gets it.
 *
 * @example
 * ```ts
 * const rt = await writeDwRuntime("/tmp/out/dw");
 * Object.keys(rt.dependencies); // ["@duckdb/node-api", "apache-arrow", …, "zod"]
 * ```
 */
export async function writeDwRuntime(dir: string, home = DW_HOME): Promise<DwRuntime> {
  const pkg = JSON.parse(await readHome(home, "package.json")) as {
    name: string;
    version: string;
    license?: string;
    engines?: Record<string, string>;
    dependencies?: Record<string, string>;
  };
  const lock = JSON.parse(await readHome(home, "package-lock.json")) as PackageLock;
  const imported = new Set<string>();
  let files = 0;
  let bytes = 0;
  const copy = async (rel: string, scan: boolean) => {
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    await copyFile(join(home, rel), join(dir, rel));
    files++;
    bytes += (await stat(join(home, rel))).size;
    if (!scan) return;
    const text = await readFile(join(home, rel), "utf8");
    for (const re of IMPORTS) for (const m of text.matchAll(re)) if (PACKAGE_SPECIFIER.test(m[1])) imported.add(packageOf(m[1]));
  };
  await copy("bin/dw.js", true);
  for (const rel of await listFiles(home, "dist/src")) {
    if (rel.endsWith(".js")) await copy(rel, true);
    else if (rel.endsWith(".wasm")) await copy(rel, false);
  }
  const dependencies: Record<string, string> = {};
  for (const name of [...imported].sort()) {
    if (name.startsWith("node:")) continue;
    const version = pkg.dependencies?.[name];
    if (version === undefined) {
      throw new DwError("CONFIG_ERROR", `dw's compiled code imports ${name}, which its package.json does not list as a dependency.`, {
        hint: "Add it to dependencies in dw's package.json (npm install --save-exact), rebuild, then export again.",
        details: { package: name },
      });
    }
    dependencies[name] = version;
  }
  const root = {
    name: pkg.name,
    version: pkg.version,
    private: true,
    description: `dw ${pkg.version}'s runtime for dw serve, written by dw export --kserve.`,
    type: "module",
    license: pkg.license,
    engines: pkg.engines,
    bin: { dw: "bin/dw.js" },
    dependencies,
  };
  await atomicWrite(join(dir, "package.json"), documentText(root));
  const { private: _, description: __, type: ___, ...lockRoot } = root;
  await atomicWrite(join(dir, "package-lock.json"), documentText(runtimeLock(lock, lockRoot)));
  return { files: files + 2, bytes, dependencies };
}

/** The package a bare specifier names: `@scope/name` or `name` (a subpath such as isomorphic-git/http/node is its package's). */
function packageOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

async function readHome(home: string, rel: string): Promise<string> {
  try {
    return await readFile(join(home, rel), "utf8");
  } catch {
    throw new DwError("CONFIG_ERROR", `dw's own ${rel} is not in ${home}, so the container cannot be given this dw.`, {
      hint: "Export from a dw checkout that was installed and built (npm ci, npm run build).",
      details: { file: join(home, rel) },
    });
  }
}

/** Every file under `rel` (relative paths, sorted); a missing folder is dw not built. */
async function listFiles(home: string, rel: string): Promise<string[]> {
  let entries: import("node:fs").Dirent[];
  try {
    entries = await readdir(join(home, rel), { withFileTypes: true, recursive: true });
  } catch {
    throw new DwError("CONFIG_ERROR", `dw's compiled code (${rel}) is not in ${home}.`, { hint: "Build dw (npm run build), then export again." });
  }
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(home.length).replace(/^\/+/, ""))
    .sort();
}
