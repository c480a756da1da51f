import { isAbsolute, resolve } from "node:path";
import git from "isomorphic-git";
import { DwError } from "../errors/DwError.js";
import type { Workspace } from "../workspace/Workspace.js";
import { gitFs } from "../workspace/gitFs.js";
import type { GitTransport } from "./GitTransport.js";
import { createGitCliTransport } from "./gitCliTransport.js";
import { redactUrl } from "./redactUrl.js";
import { createHttpTransport } from "./httpTransport.js";

/** A remote's name as `git remote add` takes it (and dw shows it): no slash, colon or space. */
const REMOTE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * The transport for a remote given by name (`origin`, looked up as `remote.<name>.url` in the
 * clone's git config) or by URL or path: https:// and http:// by the HTTP transport (no git
 * needed), everything else (ssh://, user@host:path, file://, a path) by the user's git. A URL is
 * checked before use: only those schemes, and nothing git would read as an option or a helper
 * (`-…`, `ext::…`). `signal` (the caller's interrupt: a cancelled tool call, the sidebar's stop)
 * reaches either transport and stops the request or the git process under way (INTERRUPTED).
 *
 * @example
 * ```ts
 * const t = await openTransport(ws, "origin");
 * t.url; // "git@example.com:team/models.git"
 * ```
 */
export async function openTransport(ws: Workspace, remote: string, options: { signal?: AbortSignal; env?: NodeJS.ProcessEnv } = {}): Promise<GitTransport> {
  const url = await remoteUrl(ws, remote);
  if (/^https?:\/\//i.test(url)) return createHttpTransport(ws, remote, url, { env: options.env, signal: options.signal });
  return createGitCliTransport({ gitdir: ws.gitdir, signal: options.signal, env: options.env }, remote, url);
}

/** The URL a remote name or URL stands for, checked; relative paths resolved against the workspace. */
export async function remoteUrl(ws: Workspace, remote: string): Promise<string> {
  if (remote.length === 0 || remote.length > 2000 || /[\0\r\n]/.test(remote)) {
    throw new DwError("INVALID_INPUT", "The remote must be a remote's name (e.g. origin) or a URL.", { details: { field: "remote" } });
  }
  if (REMOTE_NAME.test(remote)) {
    // As git does: a configured remote's name first; a word with a dot (remote.git) may be a path.
    const configured = await git.getConfig({ fs: gitFs, dir: ws.root, gitdir: ws.gitdir, path: `remote.${remote}.url` }).catch(() => undefined);
    if (typeof configured === "string" && configured !== "") return checkUrl(ws, configured, `remote.${remote}.url`);
    if (!remote.includes(".")) {
      throw new DwError("NOT_FOUND", `This clone has no remote named '${remote}'.`, {
        hint: `Add one with: git remote add ${remote} <url> (a team's git server, e.g. git@host:team/registry.git or https://host/team/registry.git), or give the URL instead of the name.`,
        details: { field: "remote", remote },
      });
    }
  }
  return checkUrl(ws, remote, "remote");
}

function checkUrl(ws: Workspace, url: string, where: string): string {
  const bad = (why: string) =>
    new DwError("INVALID_INPUT", `'${redactUrl(url).slice(0, 200)}' (${where}) is not a remote dw can use: ${why}.`, {
      hint: "Give https://host/path, ssh://[user@]host/path, user@host:path, file:///path or a path to a repository.",
      details: { field: "remote" },
    });
  if (url.startsWith("-")) throw bad("it would be read as an option");
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url);
  if (scheme) {
    if (!["http", "https", "ssh", "git+ssh", "ssh+git", "git", "file"].includes(scheme[1].toLowerCase()))
      throw bad(`the scheme ${scheme[1]} is not one dw reaches`);
    return url;
  }
  if (url.includes("::")) throw bad("transport helpers (<helper>::<address>) are not used by dw");
  // scp-like user@host:path (no slash before the colon), else a local path.
  if (/^[^/:]+:/.test(url)) return url;
  return isAbsolute(url) ? url : resolve(ws.root, url);
}
