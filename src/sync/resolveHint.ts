// Its own file, importing nothing, so sync_registry's renderer words the hint without loading the
// conflict reader (and isomorphic-git behind it).

/** How to resolve conflicts, in the words a user types. */
export function resolveHint(remote: string, targets: readonly string[]): string {
  const versions = targets.filter((x) => x.startsWith("refs/dw/models/"));
  const rest = targets.filter((x) => !x.startsWith("refs/dw/models/"));
  const byHand = versions.length
    ? ` ${versions.join(", ")}: a version never changes, so no --take_* applies; see each conflict's why for how to resolve it by hand.`
    : "";
  if (versions.length && !rest.length) return byHand.trim();
  const t = rest.length ? rest.join(",") : "<ref|model@alias>";
  return `Keep the remote's: dw pull ${remote} --take_theirs ${t}; keep this clone's: dw push ${remote} --take_ours ${t}. What a resolution replaces stays under refs/dw-backup/ (git for-each-ref refs/dw-backup). Or move the alias again after a pull (deploy_model), which both sides then see.${byHand}`;
}
