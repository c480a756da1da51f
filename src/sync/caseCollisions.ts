/**
 * The remote refs whose name, or a folder of it, equals one of this clone's (or of another remote
 * ref kept before it) ignoring case but not exactly, each with the name it collides with. On a
 * file system that ignores case (macOS, Windows) git keeps refs as files, so refs/dw/runs/ABC and
 * refs/dw/runs/abc, or refs/dw/models/Temp/1 beside refs/dw/models/temp/2, would be one file or
 * one folder: writing the remote's would overwrite or mix with this clone's. Linear in the names'
 * total length.
 *
 * @example
 * caseCollisions(["refs/dw/runs/abc"], ["refs/dw/runs/ABC"]); // Map { "refs/dw/runs/ABC" => "refs/dw/runs/abc" }
 */
export function caseCollisions(local: Iterable<string>, remote: Iterable<string>): Map<string, string> {
  const seen = new Map<string, string>();
  const add = (ref: string) => {
    for (const prefix of prefixes(ref)) if (!seen.has(prefix.toLowerCase())) seen.set(prefix.toLowerCase(), prefix);
  };
  for (const ref of local) add(ref);
  const out = new Map<string, string>();
  for (const ref of [...remote].sort()) {
    let clash: string | undefined;
    for (const prefix of prefixes(ref)) {
      const other = seen.get(prefix.toLowerCase());
      if (other !== undefined && other !== prefix) {
        clash = other;
        break;
      }
    }
    if (clash !== undefined) out.set(ref, clash);
    else add(ref);
  }
  return out;
}

/** refs/dw/<area>/<a>, refs/dw/<area>/<a>/<b>, …: the folders and the name itself, below refs/dw/<area>/. */
export function prefixes(ref: string): string[] {
  const parts = ref.split("/");
  const out: string[] = [];
  for (let i = 4; i <= parts.length; i++) out.push(parts.slice(0, i).join("/"));
  return out;
}
