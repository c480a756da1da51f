import { z } from "zod";

/**
 * What is kept beside a column file (`<column file>.check`): its size, the sha256 of its bytes,
 * and the boot it was written in. The column file is written without fsync, so a power loss can
 * leave it whole in length and footer but with blocks that never reached the disk (read back as
 * zeros): Arrow would read those as numbers. A file written in the boot that reads it cannot be
 * such a file (the bytes are in the page cache or on disk), so it is trusted after a size check;
 * one written in an earlier boot is hashed once and compared (see readColumnCache).
 *
 * @example
 * ```ts
 * ColumnCacheCheck.parse({ size: 160002162, sha256: "9f…", boot: "2b0c…" });
 * ```
 */
export const ColumnCacheCheck = z.strictObject({
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  boot: z.string().min(1).max(200),
});
export type ColumnCacheCheck = z.infer<typeof ColumnCacheCheck>;
