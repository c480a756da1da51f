/**
 * What dw needs from a git remote to share refs/dw/* with a team, whatever carries it: the smart
 * HTTP protocol spoken by isomorphic-git (`httpTransport.ts`), or the user's own git for SSH and
 * file remotes (`gitCliTransport.ts`). `openTransport.ts` picks one from the remote's URL.
 *
 * A transport moves objects and refs only. Deciding what to push or take, and what is a conflict,
 * is src/sync's work; a transport never overwrites a ref whose value on the remote is not the one
 * the caller read (every update says what it expects there).
 */
export interface GitTransport {
  /** The remote as the user named it (`origin`) or its URL, and the URL it resolves to, for messages. */
  readonly remote: string;
  readonly url: string;
  /** The remote's refs whose names start with `prefix` (e.g. `refs/dw/`): full ref name → object id. */
  listRefs(prefix: string): Promise<Map<string, string>>;
  /**
   * Brings every object reachable from `wants` (commit ids the remote advertised in listRefs) that
   * the local repository lacks into it. Writes no ref: the caller decides which refs move.
   */
  fetch(wants: readonly string[]): Promise<void>;
  /**
   * Sends the objects the updates need and applies them on the remote, each only if the remote ref
   * still holds `old` (null: the ref must not exist yet); `new` null deletes the ref. All or none
   * where the remote supports atomic pushes (git's `atomic` capability; git http-backend and
   * git-receive-pack do); the result says, per ref, whether it moved and why not.
   */
  push(updates: readonly RefUpdate[]): Promise<RefUpdateResult[]>;
}

/** One ref to move on the remote: from what the caller last saw there (`old`) to `new`. */
export interface RefUpdate {
  ref: string;
  /** The object id the remote ref must hold for the update to apply; null: it must not exist. */
  old: string | null;
  /** The object id to point it at; null deletes it. */
  new: string | null;
}

/** What happened to one update: applied, or refused with the remote's reason (`stale`: it held something else). */
export interface RefUpdateResult {
  ref: string;
  ok: boolean;
  /** Why the remote refused it, in its words or ours, e.g. "stale: the remote holds 1a2b3c4 now". */
  reason?: string;
}
