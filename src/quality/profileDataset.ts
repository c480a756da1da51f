import type { Dataset } from "../data/Dataset.js";
import type { ProfileRequest, TableProfile } from "./TableProfile.js";
import { PROFILE_TOP_K, profileTable } from "./profileTable.js";
import { profileForRequest } from "./profileForRequest.js";

/**
 * The TableProfile of an in-memory dataset for one request: the data-only profile (profileTable)
 * with what the request's reference and target add (profileForRequest). Callers that can reuse
 * the data-only profile of a data version (the quality gate) take it from cachedTableProfile instead.
 *
 * @example
 * ```ts
 * const profile = profileDataset(ds, { target: "weather", reference: [{ name: "wind", min: 0, max: 9.5, edges: [1, 2, 3] }] });
 * profile.columns.find((c) => c.name === "wind")?.binCounts; // [n0, n1, n2, n3]
 * ```
 */
export function profileDataset(ds: Dataset, request: ProfileRequest = {}): TableProfile {
  return profileForRequest(ds, profileTable(ds, request.topK ?? PROFILE_TOP_K), request);
}
