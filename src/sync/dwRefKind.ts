import { isAlias, isModelName, isRefPart } from "../workspace/refNames.js";

/**
 * What a ref under refs/dw/ is, for sharing: a commit chain that only grows (runs, experiments,
 * pipelines, deployment, monitoring, A/B test and review histories), an immutable model version,
 * or an alias (a plain pointer that may move back, or go).
 */
export type DwRefKind =
  | { kind: "chain"; area: ChainArea; model?: string; alias?: string }
  | { kind: "version"; model: string; version: number }
  | { kind: "alias"; model: string; alias: string };

export type ChainArea = "runs" | "experiments" | "pipelines" | "deployments" | "monitoring" | "abtests" | "reviews";

/** Version numbers past this are refused: they stay exact as JSON numbers and in a ref name. */
const MAX_VERSION = 1_000_000_000;

/**
 * The kind of `ref`, or why dw does not share it: every name a remote advertises is checked here
 * before it is read, fetched into or written (a teammate's hand edit or a hostile remote may
 * hold anything git allows, such as refs/dw/models/x/-1 or refs/dw/aliases/x/y/z).
 *
 * @example
 * dwRefKind("refs/dw/models/temp/3"); // { kind: "version", model: "temp", version: 3 }
 * dwRefKind("refs/dw/models/temp/03"); // { refused: "…" }
 */
export function dwRefKind(ref: string): DwRefKind | { refused: string } {
  const parts = ref.length <= 400 ? ref.split("/") : [];
  if (parts.length < 4 || parts[0] !== "refs" || parts[1] !== "dw") return { refused: "not a ref dw writes (refs/dw/<kind>/<name>…)" };
  if (!parts.every(isRefPart)) return { refused: "a part of the name is not one dw writes (letters, digits, '.', '_', '-', starting with a letter or digit)" };
  const [, , area, a, b, more] = parts;
  const two = b !== undefined && more === undefined;
  switch (area) {
    case "runs":
    case "experiments":
    case "pipelines":
      if (b === undefined && isModelName(a)) return { kind: "chain", area };
      return { refused: `refs/dw/${area}/ holds one name per ref` };
    case "models":
    case "reviews": {
      if (!two || !isModelName(a) || !/^[1-9][0-9]{0,9}$/.test(b) || Number(b) > MAX_VERSION)
        return { refused: `refs/dw/${area}/ holds <model>/<version>, a version being a number from 1` };
      return area === "models" ? { kind: "version", model: a, version: Number(b) } : { kind: "chain", area, model: a };
    }
    case "aliases":
    case "deployments":
    case "monitoring":
    case "abtests":
      if (!two || !isModelName(a) || !isAlias(b)) return { refused: `refs/dw/${area}/ holds <model>/<alias>` };
      return area === "aliases" ? { kind: "alias", model: a, alias: b } : { kind: "chain", area, model: a, alias: b };
    default:
      return { refused: `dw has no refs/dw/${area}/` };
  }
}
