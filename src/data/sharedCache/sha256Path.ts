import { DwError } from "../../errors/DwError.js";

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * The relative path of a file in a shared cache, `sha256/ab/cdef…`, as the local cache lays it
 * out. The hash is checked first (it may come from a pushed run or dataset record): anything but
 * 64 lowercase hex digits never forms a path or key.
 */
export function sha256Path(sha256: string): string {
  if (typeof sha256 !== "string" || !SHA256.test(sha256))
    throw new DwError("INVALID_INPUT", `'${String(sha256).slice(0, 80)}' is not a sha256 (64 lowercase hex digits), so it names no cached file.`, {
      hint: "Data files are named by the sha256 dw recorded when it loaded them; check the record the hash came from.",
    });
  return `sha256/${sha256.slice(0, 2)}/${sha256.slice(2)}`;
}
