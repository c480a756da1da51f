/**
 * Whether a request's Host header names one of `allowed` (host names, compared without the port
 * and case-insensitively; an IPv6 address in brackets or not). A request without a Host header
 * (HTTP/1.0 tools) is let through: DNS rebinding needs a browser, and browsers always send one.
 */
export function hostAllowed(header: string | undefined, allowed: ReadonlySet<string>): boolean {
  if (header === undefined || header === "") return true;
  const host = hostName(header.trim().toLowerCase());
  return host !== null && (allowed.has(host) || allowed.has(`[${host}]`));
}

/** The name part of a Host header: `[::1]:8080` → `::1`, `localhost:80` → `localhost`; null when malformed. */
function hostName(header: string): string | null {
  if (header.startsWith("[")) {
    const end = header.indexOf("]");
    if (end < 0) return null;
    const rest = header.slice(end + 1);
    if (rest !== "" && !/^:\d{1,5}$/.test(rest)) return null;
    return header.slice(1, end);
  }
  const m = /^([^:]+)(?::\d{1,5})?$/.exec(header);
  return m ? m[1] : null;
}

/** `--allowed-hosts a,b` as a set of lower-case host names. */
export function parseAllowedHosts(list: string): Set<string> {
  return new Set(
    list
      .split(",")
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  );
}
