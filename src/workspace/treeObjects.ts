import { DwError } from "../errors/DwError.js";
import { gitObject, type GitObject } from "./gitObject.js";

/** A file of a commit's tree: its blob (or, kept from a base tree, any entry) and mode ("100644"). */
export interface TreeFileEntry {
  oid: string;
  mode: string;
}

const TREE_MODE = "040000";

/**
 * The tree objects holding `files` (flat paths such as "gates/quality.json"), deepest first, and the
 * root tree's id. Entries are sorted as git sorts them (by the UTF-8 bytes of the name, a folder's
 * name read with a trailing "/") and encoded as isomorphic-git's writeTree encodes them, so a tree
 * keeps its id. A path part git would refuse (empty, ".", "..", ".git" in any spelling Windows or
 * macOS reads as it, a "\" or NUL) is an INVALID_INPUT naming the path, before anything is written;
 * so is a path that is both a file and a folder.
 *
 * @example
 * ```ts
 * const { root, objects } = treeObjects(new Map([["run.json", { oid: blob.oid, mode: "100644" }]]));
 * ```
 */
export function treeObjects(files: ReadonlyMap<string, TreeFileEntry>): { root: string; objects: GitObject[] } {
  // Folder path ("" for the root) → its entries by name.
  const folders = new Map<string, Map<string, TreeFileEntry>>([["", new Map()]]);
  const folder = (path: string) => {
    let f = folders.get(path);
    if (!f) {
      f = new Map();
      folders.set(path, f);
    }
    return f;
  };
  for (const [path, entry] of files) {
    const parts = path.split("/");
    for (const part of parts) checkName(part, path);
    for (let i = 1; i < parts.length; i++) folder(parts.slice(0, i).join("/"));
    folder(parts.slice(0, -1).join("/")).set(parts[parts.length - 1], entry);
  }
  // Deepest first: each folder's tree is made after all of its subfolders' and named in its parent.
  const order = [...folders.keys()].sort((a, b) => depth(b) - depth(a));
  const objects: GitObject[] = [];
  let root = "";
  for (const path of order) {
    const tree = gitObject("tree", encodeTree(folders.get(path)!));
    objects.push(tree);
    if (path === "") {
      root = tree.oid;
      continue;
    }
    const slash = path.lastIndexOf("/");
    const parent = folders.get(slash < 0 ? "" : path.slice(0, slash))!;
    const name = path.slice(slash + 1);
    if (parent.has(name)) {
      throw new DwError("INVALID_INPUT", `'${path}' is both a file and a folder in the files of one commit.`, {
        hint: "Give each file a path that is not also the folder of another.",
        details: { path },
      });
    }
    parent.set(name, { oid: tree.oid, mode: TREE_MODE });
  }
  return { root, objects };
}

function encodeTree(entries: ReadonlyMap<string, TreeFileEntry>): Uint8Array {
  const named = [...entries].map(([name, e]) => ({
    e,
    name: Buffer.from(name, "utf8"),
    key: Buffer.from(gitMode(e.mode) === TREE_MODE ? `${name}/` : name, "utf8"),
  }));
  named.sort((a, b) => Buffer.compare(a.key, b.key));
  const parts: Buffer[] = [];
  for (const { e, name } of named)
    parts.push(Buffer.from(`${gitMode(e.mode).replace(/^0/, "")} `, "latin1"), name, Buffer.from([0]), Buffer.from(e.oid, "hex"));
  return Buffer.concat(parts);
}

/** The five modes git writes, as isomorphic-git maps a mode read from an older tree ("100664") onto them. */
function gitMode(mode: string): string {
  if (/^0?4/.test(mode)) return TREE_MODE;
  if (mode.startsWith("1006")) return "100644";
  if (mode.startsWith("1007")) return "100755";
  if (mode.startsWith("120")) return "120000";
  if (mode.startsWith("160")) return "160000";
  throw new DwError("DATA_ERROR", `A tree entry has the mode ${mode}, which is no mode git writes.`, {
    hint: "Run git fsck in the workspace to find the damaged tree.",
    details: { mode },
  });
}

const depth = (path: string) => (path === "" ? 0 : path.split("/").length);

/** Characters macOS (HFS+) ignores in names, so ".g\u200Cit" is ".git" there. */
const HFS_IGNORED = /[\u200C-\u200F\u202A-\u202E\u206A-\u206F\uFEFF]/g;

/** Refuses a name git's verify_path refuses (as isomorphic-git checks it), and an empty one. */
function checkName(name: string, path: string): void {
  const clean = name.replace(HFS_IGNORED, "").split(":")[0];
  let end = clean.length;
  while (end > 0 && (clean[end - 1] === "." || clean[end - 1] === " ")) end--;
  // Windows drops trailing dots and spaces: "..", ". ", "git. " name what "." and "git" name.
  const normalized = clean.slice(0, end).toLowerCase();
  const bad =
    name === "" ||
    name.includes("\\") ||
    name.includes("\0") ||
    (normalized === "" && clean !== "") ||
    normalized === ".git" ||
    /^\.?git~[1-9]$/.test(normalized);
  if (bad) {
    throw new DwError("INVALID_INPUT", `'${path}' cannot be a path in a git tree: its part '${name}' is empty or names something git refuses.`, {
      hint: "Use path parts made of letters, digits, '.', '_' and '-', none of them '.', '..' or '.git'.",
      details: { path },
    });
  }
}
