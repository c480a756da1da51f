/**
 * A remote's URL fit for a message or a log: any user name and password in it (`https://user:token@host/…`,
 * where a token often stands in the user name's place) become `***`. Text that is not a URL
 * (`user@host:path`, a plain path) comes back as it was, except that a `user:password@` before a
 * host is still hidden.
 *
 * @example
 * redactUrl("https://ann:s3cret@git.example.com/team/models.git"); // "https://***@git.example.com/team/models.git"
 */
export function redactUrl(url: string): string {
  return url.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/?#]*@/, "$1***@").replace(/^[^/@:]*:[^/@]*@/, "***@");
}

/**
 * A text (git's error output, a message) with the credentials of every URL in it hidden as in
 * `redactUrl`.
 *
 * @example
 * redactUrlsIn("fatal: unable to access 'https://ann:s3cret@host/r.git/'"); // "fatal: unable to access 'https://***@host/r.git/'"
 */
export function redactUrlsIn(text: string): string {
  return text.replace(/([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/?#@\s]*@/g, "$1***@");
}
