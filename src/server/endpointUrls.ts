/** The URLs a deployment answers on, all under the workspace's one server. */
export function endpointUrls(serverUrl: string, model: string, alias: string, version: number) {
  const base = serverUrl.replace(/\/$/, "");
  return {
    invocations: `${base}/models/${model}@${alias}/invocations`,
    versionInvocations: `${base}/models/${model}/${version}/invocations`,
    metadata: `${base}/models/${model}@${alias}`,
    versionMetadata: `${base}/models/${model}/${version}`,
  };
}

/** A ready-to-paste MLflow scoring request with one row. */
export function curlExample(invocationsUrl: string, features: string[], row?: unknown[]): string {
  const data = row ?? features.map(() => 0);
  const body = JSON.stringify({ dataframe_split: { columns: features, data: [data] } });
  return `curl -s -X POST '${invocationsUrl}' -H 'Content-Type: application/json' -d '${body}'`;
}
