import { stat } from "node:fs/promises";
import { DwError } from "../../errors/DwError.js";

/** The size of a file about to be stored in a shared cache; a missing one is a NOT_FOUND naming it, not a bare ENOENT. */
export async function requireSourceFile(file: string, sha256: string, location: string): Promise<number> {
  const st = await stat(file).catch(() => null);
  if (!st?.isFile())
    throw new DwError("NOT_FOUND", `${file} (sha256 ${sha256.slice(0, 12)}) is not there to store in the shared cache ${location}.`, {
      hint: "The local cache no longer holds it: load the data again with load_dataset, or fetch it from a clone that has it.",
      details: { file, sha256, shared_cache: location },
    });
  return st.size;
}
