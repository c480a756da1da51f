/**
 * A team's store of cached data files, shared by every clone that names it: the large data a run
 * or dataset record points at by sha256 stays out of git, and a clone that lacks a file fetches it
 * from here by hash. Opened by `openSharedCache` from the clone's configuration.
 *
 * @example
 * const shared = await openSharedCache(ws);
 * if (shared && !(await shared.has(sha256))) await shared.put(sha256, cachePath(ws, sha256));
 */
export interface SharedCache {
  /** Where it is, for messages: a folder, or `s3://bucket/prefix` (never any credential). */
  location: string;
  /** Whether the shared cache holds a file under this hash. */
  has(sha256: string): Promise<boolean>;
  /**
   * Stores `file` under `sha256` (a no-op when already there). The file is hashed first: content
   * that does not match its hash is a DATA_ERROR and is never stored.
   */
  put(sha256: string, file: string): Promise<void>;
  /**
   * Copies the file with this hash into the local cache (`cachePath(ws, sha256)`), re-hashed before
   * it is renamed into place: damaged content is a DATA_ERROR and is not installed. True when the
   * local cache holds the file afterwards (already there, or fetched); false when the shared cache
   * does not hold it.
   */
  get(sha256: string): Promise<boolean>;
}
