import type { ColumnProfile } from "../TableProfile.js";
import { binIndex } from "../bins.js";

/** A reference as numbers: the training range and inner bin edges (dates as instants). */
export interface NumericReference {
  min?: number;
  max?: number;
  edges?: number[];
}

/**
 * The part of a numeric column's profile that depends on the reference it is compared with:
 * values below its min and above its max (when it has a range), and counts per bin of its edges
 * (closed on the left, see binIndex). One pass, kept apart from profileNumbers so a profile
 * cached per data version serves any reference.
 */
export function referenceCounts(values: Float64Array, ref: NumericReference): Pick<ColumnProfile, "belowRange" | "aboveRange" | "binCounts"> {
  const lowRef = ref.min ?? -Infinity;
  const highRef = ref.max ?? Infinity;
  const edges = ref.edges;
  const bins = edges ? new Array<number>(edges.length + 1).fill(0) : undefined;
  let below = 0;
  let above = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) continue;
    if (v < lowRef) below++;
    else if (v > highRef) above++;
    if (bins) bins[binIndex(edges!, v)]++;
  }
  const out: Pick<ColumnProfile, "belowRange" | "aboveRange" | "binCounts"> = {};
  if (ref.min !== undefined || ref.max !== undefined) {
    out.belowRange = below;
    out.aboveRange = above;
  }
  if (bins) out.binCounts = bins;
  return out;
}
