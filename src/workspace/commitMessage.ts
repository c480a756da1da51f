/** The trailers dw writes under a commit message; `git log --grep` and the registry readers key on them. */
export interface Trailers {
  "Dw-Run"?: string;
  "Dw-Tool"?: string;
  "Dw-Model"?: string;
  "Dw-Version"?: string | number;
  "Dw-Alias"?: string;
  "Dw-Experiment"?: string;
  "Dw-Pipeline"?: string;
  "Dw-Decision"?: string;
  "Dw-Reviewer"?: string;
  "Dw-Governance"?: string;
  "Dw-Override"?: string;
  "Dw-Via"?: string;
}

/**
 * One commit message: a subject line, an optional body (undefined lines are left out) and the
 * trailers in the order given. A value with a line break would end the trailer block early, so
 * line breaks in subject, body lines and trailer values become spaces.
 */
export function commitMessage(subject: string, body: readonly (string | undefined)[], trailers: Trailers): string {
  const oneLine = (s: string) => s.replace(/[\r\n]+/g, " ");
  const lines = body.filter((l): l is string => l !== undefined).map(oneLine);
  const tail = Object.entries(trailers)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${oneLine(String(v))}`);
  return [oneLine(subject), ...(lines.length ? ["", ...lines] : []), ...(tail.length ? ["", ...tail] : [])].join("\n");
}
