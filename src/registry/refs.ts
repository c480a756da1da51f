/**
 * The refs of the model registry. A name and an alias are checked (workspace/refNames.ts) before
 * any of these is built from them.
 */
export const modelVersionRef = (name: string, version: number) => `refs/dw/models/${name}/${version}`;
export const aliasRef = (name: string, alias: string) => `refs/dw/aliases/${name}/${alias}`;
export const deploymentRef = (name: string, alias: string) => `refs/dw/deployments/${name}/${alias}`;
