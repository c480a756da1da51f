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
 * One commit message: a subject line, an optional body (undefined lines are left out; a line may
 * hold line breaks, e.g. a multi-line description) and the trailers in the order given. A line
 * break in the subject would move text into the body, and one in a trailer value would end the
 * trailer block early, so there they become spaces.
 */
export function commitMessage(subject: string, body: readonly (string | undefined)[], trailers: Trailers): string {
  const oneLine = (s: string) => s.replace(/[\r\n]+/g, " ");
  const lines = body.filter((l): l is string => l !== undefined);
  const tail = Object.entries(trailers)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${oneLine(String(v))}`);
  return [oneLine(subject), ...(lines.length ? ["", ...lines] : []), ...(tail.length ? ["", ...tail] : [])].join("\n");
}
