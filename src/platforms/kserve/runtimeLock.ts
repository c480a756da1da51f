import { DwError } from "../../errors/DwError.js";

/** One entry of package-lock.json's `packages` (lockfile v2/v3), as far as the subset reads it. */
interface LockEntry {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  link?: boolean;
  [key: string]: unknown;
}

/** package-lock.json, lockfile version 2 or 3. */
export interface PackageLock {
  name?: string;
  version?: string;
  lockfileVersion: number;
  requires?: boolean;
  packages: Record<string, LockEntry>;
}

/**
 * The lock of a package that depends on `dependencies` only, cut from the lock of the installation
 * they were resolved in: the root entry replaced by `root`, then every package those dependencies
 * reach (dependencies, optional dependencies and the peers the lock holds), each found where
 * Node's resolution finds it from its dependent's folder (its own node_modules, then each folder
 * above). Entries are kept as locked (version, integrity, os/cpu), without the `dev` and
 * `devOptional` flags, which described the bigger tree. So `npm ci` installs exactly the versions
 * dw was built and tested with. Linear in the lock's size per reached package's dependencies.
 *
 * @example
 * ```ts
 * const lock = runtimeLock(JSON.parse(text), { name: "dw", version: "0.1.0", dependencies: { yaml: "2.9.1" } });
 * Object.keys(lock.packages); // ["", "node_modules/yaml"]
 * ```
 */
export function runtimeLock(
  full: PackageLock,
  root: { name: string; version: string; dependencies: Record<string, string> } & Record<string, unknown>,
): PackageLock {
  if (full.lockfileVersion < 2 || typeof full.packages !== "object" || full.packages === null) {
    throw new DwError("CONFIG_ERROR", "dw's package-lock.json is not a lockfile of version 2 or 3, so the runtime's versions cannot be pinned.", {
      hint: "Reinstall dw with npm 7 or later (npm ci), then export again.",
    });
  }
  const packages: Record<string, LockEntry> = { "": root };
  const queue: [string, Record<string, string>][] = [["", root.dependencies]];
  const optionalPeer = (entry: LockEntry, name: string) =>
    (entry.peerDependenciesMeta as Record<string, { optional?: boolean }> | undefined)?.[name]?.optional === true;
  while (queue.length) {
    const [from, deps] = queue.shift() as [string, Record<string, string>];
    for (const name of Object.keys(deps)) {
      const path = resolveIn(full.packages, from, name);
      if (path === null) {
        const entry = full.packages[from] ?? {};
        // An optional dependency for another platform, or an optional peer, may be absent from the lock.
        if (entry.optionalDependencies?.[name] !== undefined || optionalPeer(entry, name)) continue;
        throw new DwError("CONFIG_ERROR", `dw's package-lock.json has no entry for ${name}, which ${from || "dw"} needs.`, {
          hint: "Run npm ci in dw's folder so the lock and node_modules agree, then export again.",
          details: { package: name },
        });
      }
      if (packages[path]) continue;
      const { dev, devOptional, peer, ...entry } = full.packages[path];
      packages[path] = entry;
      queue.push([path, { ...entry.dependencies, ...entry.optionalDependencies, ...peersPresent(full.packages, path, entry) }]);
    }
  }
  return { name: root.name, version: root.version, lockfileVersion: full.lockfileVersion, requires: true, packages };
}

/** The peers of an entry that the lock installed (npm 7+ installs required peers; optional ones only when something else brings them). */
function peersPresent(all: Record<string, LockEntry>, from: string, entry: LockEntry): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, range] of Object.entries(entry.peerDependencies ?? {})) if (resolveIn(all, from, name) !== null) out[name] = range;
  return out;
}

/** Where Node finds package `name` from the package at `from`: `from/node_modules/name`, then each enclosing node_modules up to the root's. */
function resolveIn(all: Record<string, LockEntry>, from: string, name: string): string | null {
  let dir = from;
  for (;;) {
    const path = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
    const entry = all[path];
    if (entry && !entry.link) return path;
    if (!dir) return null;
    const cut = dir.lastIndexOf("/node_modules/");
    dir = cut < 0 ? "" : dir.slice(0, cut);
  }
}
