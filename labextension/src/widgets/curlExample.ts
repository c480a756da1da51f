/**
 * A curl line for an endpoint whose exact example the kernel has not sent us (the sidebar's state
 * carries no input signature): the user fills in the columns.
 */
export function curlExample(invocationsUrl: string): string {
  return (
    `curl -X POST '${invocationsUrl}' -H 'Content-Type: application/json' ` +
    `-d '{"dataframe_split": {"columns": ["<feature>", "..."], "data": [[0, "..."]]}}'`
  );
}
