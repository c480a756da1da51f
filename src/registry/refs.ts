import { DwError } from "../errors/DwError.js";

export const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
export const ALIAS_NAME = /^[A-Za-z][A-Za-z0-9._-]{0,63}$/;

export const modelVersionRef = (name: string, version: number) => `refs/dw/models/${name}/${version}`;
export const aliasRef = (name: string, alias: string) => `refs/dw/aliases/${name}/${alias}`;
export const deploymentRef = (name: string, alias: string) => `refs/dw/deployments/${name}/${alias}`;

export function checkModelName(name: string, field = "model_name"): void {
  if (!MODEL_NAME.test(name) || name.endsWith(".lock") || name.includes("..")) {
    throw new DwError("INVALID_INPUT", `'${name}' is not a valid model name.`, {
      hint: "Use letters, digits, '.', '_' and '-', starting with a letter or digit (at most 100 characters).",
      details: { field },
    });
  }
}

export function checkAlias(alias: string, field = "alias"): void {
  if (!ALIAS_NAME.test(alias) || alias.endsWith(".lock") || alias.includes("..")) {
    throw new DwError("INVALID_INPUT", `'${alias}' is not a valid alias.`, {
      hint: "An alias starts with a letter (so it never looks like a version number), e.g. production, staging, champion.",
      details: { field },
    });
  }
}
