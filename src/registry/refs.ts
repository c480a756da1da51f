import { DwError } from "../errors/DwError.js";

export const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
export const ALIAS_NAME = /^[A-Za-z][A-Za-z0-9._-]{0,63}$/;

/** What a valid model name is, in words, for errors. */
export const MODEL_NAME_RULE = "letters, digits, '.', '_' and '-', starting with a letter or digit, at most 100 characters, without '..' or a trailing '.lock'";
/** What a valid alias is, in words, for errors. */
export const ALIAS_RULE =
  "letters, digits, '.', '_' and '-', starting with a letter (so it never looks like a version number), at most 64 characters, without '..' or a trailing '.lock'";

export const modelVersionRef = (name: string, version: number) => `refs/dw/models/${name}/${version}`;
export const aliasRef = (name: string, alias: string) => `refs/dw/aliases/${name}/${alias}`;
export const deploymentRef = (name: string, alias: string) => `refs/dw/deployments/${name}/${alias}`;

/** The one rule for model names, used by the tools and by the server before any ref is read. */
export function isModelName(name: string): boolean {
  return MODEL_NAME.test(name) && !name.endsWith(".lock") && !name.includes("..");
}

/** The one rule for aliases, used by the tools and by the server before any ref is read. */
export function isAlias(alias: string): boolean {
  return ALIAS_NAME.test(alias) && !alias.endsWith(".lock") && !alias.includes("..");
}

export function checkModelName(name: string, field = "model_name"): void {
  if (!isModelName(name)) {
    throw new DwError("INVALID_INPUT", `'${name.length > 120 ? name.slice(0, 100) + "…" : name}' is not a valid model name.`, {
      hint: `Use ${MODEL_NAME_RULE}.`,
      details: { field },
    });
  }
}

export function checkAlias(alias: string, field = "alias"): void {
  if (!isAlias(alias)) {
    throw new DwError("INVALID_INPUT", `'${alias.length > 120 ? alias.slice(0, 100) + "…" : alias}' is not a valid alias.`, {
      hint: `An alias has ${ALIAS_RULE}, e.g. production, staging, champion.`,
      details: { field },
    });
  }
}
