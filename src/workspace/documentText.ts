/**
 * The text of a JSON document dw writes (in a commit, under .dw/, or printed by the CLI):
 * two-space indented, one trailing newline, so `git diff` between two commits shows one changed
 * field as one changed line.
 */
export function documentText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
