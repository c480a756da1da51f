import { spawn } from "node:child_process";
import { redactUrl, redactUrlsIn } from "./redactUrl.js";
import { DwError } from "../errors/DwError.js";
import type { GitTransport, RefUpdate, RefUpdateResult } from "./GitTransport.js";
import { ADVERTISEMENT_LIMIT, isGitRefName, quote } from "./readAdvertisement.js";

/** What runs git: the workspace's git dir (never its work tree), and optionally which git and what environment. */
export interface GitCliOptions {
  gitdir: string;
  /** The git executable; default `git` on PATH. */
  git?: string;
  env?: NodeJS.ProcessEnv;
  /** Aborts a running git (the caller's interrupt). */
  signal?: AbortSignal;
  /** The most bytes `git ls-remote` may print for one listing (ADVERTISEMENT_LIMIT, as over HTTP). */
  listLimitBytes?: number;
}

/** The most bytes of `git push --porcelain`'s report read (a line per ref; as over HTTP). */
const REPORT_LIMIT = 16 * 2 ** 20;
/** `git fetch --stdin` prints nothing to stdout; anything past this is not git's. */
const FETCH_OUTPUT_LIMIT = 2 ** 20;

const OID = /^[0-9a-f]{40}$/;

/**
 * The transport contract through the user's own `git`, for the remotes isomorphic-git does not
 * speak: ssh:// and user@host:path (the user's keys and ssh config), file:// and plain paths.
 * git runs with `--git-dir` only, so the user's branch, index and working tree are never read or
 * touched; it writes objects into the git dir and no ref but those the caller moves (fetch writes
 * no FETCH_HEAD either). Pushes carry one `--force-with-lease` per ref, so the remote applies an
 * update only if it still holds what the caller read, and are `--atomic` where the remote allows.
 *
 * The URL is on git's command line, which every user of the machine can read (`ps`), so a URL
 * carrying a password (`ssh://user:secret@host/…`, `user:secret@host:path`) or any credential in
 * an http(s) URL is refused (INVALID_INPUT) before git runs: ssh authenticates with the user's
 * keys, and https remotes go through the HTTP transport (`openTransport` routes them there), which
 * sends credentials as HTTP auth. `remote` and `url` are kept with credentials hidden (`redactUrl`).
 *
 * @example
 * ```ts
 * const t = createGitCliTransport({ gitdir: ws.gitdir }, "origin", "git@example.com:team/registry.git");
 * const refs = await t.listRefs("refs/dw/");
 * ```
 */
export function createGitCliTransport(options: GitCliOptions, remote: string, url: string): GitTransport {
  const shown = redactUrl(url);
  refuseCredentials(url, shown);
  const run = (args: string[], limit: number, input?: string) => runGit(options, args, input, shown, limit);

  return {
    remote: redactUrl(remote),
    url: shown,

    async listRefs(prefix) {
      const { stdout } = await run(["ls-remote", "--refs", url, `${prefix}*`], options.listLimitBytes ?? ADVERTISEMENT_LIMIT);
      const out = new Map<string, string>();
      for (const line of stdout.split("\n")) {
        if (!line) continue;
        const tab = line.indexOf("\t");
        const oid = line.slice(0, tab);
        const ref = line.slice(tab + 1);
        // ls-remote matches patterns on the ref's tail; keep only refs that really start with the prefix.
        if (tab !== 40 || !OID.test(oid) || !ref.startsWith(prefix)) continue;
        // The HTTP transport's rule (git's own, and a length bound): dw's stricter one is src/sync's, per ref.
        if (!isGitRefName(ref)) {
          throw new DwError("DATA_ERROR", `The git remote ${shown} lists ${quote(ref)}, which is not a ref name git writes.`, {
            hint: "The remote's repository is damaged: run git fsck there, or ask its owner to delete that ref.",
            details: { remote: shown },
          });
        }
        out.set(ref, oid);
      }
      return out;
    },

    async fetch(wants) {
      const bad = wants.find((w) => !OID.test(w));
      if (bad !== undefined) throw new DwError("INVALID_INPUT", `'${bad.slice(0, 60)}' is not an object id to fetch from ${shown}.`);
      if (wants.length === 0) return;
      // Object ids on stdin (one refspec a line, no destination): nothing but objects is written,
      // and no argument list grows with the number of refs.
      await run(
        ["fetch", "--no-tags", "--no-write-fetch-head", "--no-auto-maintenance", "--stdin", url],
        FETCH_OUTPUT_LIMIT,
        `${[...new Set(wants)].join("\n")}\n`,
      );
    },

    async push(updates) {
      if (updates.length === 0) return [];
      for (const u of updates) {
        for (const oid of [u.old, u.new]) {
          if (oid !== null && !OID.test(oid)) throw new DwError("INVALID_INPUT", `'${oid.slice(0, 60)}' is not an object id to push to ${u.ref}.`);
        }
        if (!isGitRefName(u.ref) || u.ref === "HEAD") {
          throw new DwError("INVALID_INPUT", `'${u.ref.slice(0, 200)}' is not a ref name dw pushes.`);
        }
      }
      const args = ["push", "--porcelain", "--no-verify", "--no-follow-tags"];
      for (const u of updates) args.push(`--force-with-lease=${u.ref}:${u.old ?? ""}`);
      const specs = updates.map((u) => (u.new === null ? `:${u.ref}` : `${u.new}:${u.ref}`));
      const attempt = (atomic: boolean) =>
        run([...args.slice(0, 1), ...(atomic ? ["--atomic"] : []), ...args.slice(1), url, ...specs], REPORT_LIMIT).catch((e: unknown) => {
          if (e instanceof PushRefused) return { stdout: e.stdout, stderr: e.stderr };
          throw e;
        });
      let out = await attempt(true);
      // The contract: all or none where the remote supports it; a remote without the capability
      // gets each update on its own lease.
      if (/does not support --atomic/i.test(out.stderr)) out = await attempt(false);
      return parsePorcelain(out.stdout, out.stderr, updates, shown);
    },
  };
}

/** Throws unless `url` can go on git's command line: no password, and no credential at all in an http(s) URL. */
function refuseCredentials(url: string, shown: string): void {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)@/.exec(url);
  const password = scheme ? scheme[2].includes(":") : /^[^/@:]+:[^/@:]*@[^/:]+:/.test(url);
  const web = scheme !== null && /^https?$/i.test(scheme[1]);
  if (!password && !web) return;
  throw new DwError(
    "INVALID_INPUT",
    `The remote ${shown} carries ${password ? "a password" : "credentials"} in its URL, which dw does not put on git's command line (any user of this machine can read it there).`,
    {
      hint: web
        ? "dw reaches https:// remotes with its own HTTP transport (dw push / dw pull pick it for https URLs), which sends credentials as HTTP auth; or give them in DW_GIT_USERNAME and DW_GIT_PASSWORD and take them out of the URL."
        : "ssh authenticates with your keys (ssh-agent, ~/.ssh/config), never a password in the URL: take it out, e.g. git remote set-url origin ssh://user@host/path.",
      details: { remote: shown },
    },
  );
}

/** A git push that exited non-zero: its report still says, per ref, what happened. */
class PushRefused extends Error {
  constructor(
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super("git push refused an update");
  }
}

/**
 * The per-ref lines of `git push --porcelain`: `<flag>\t<from>:<to>\t<summary>`, flag ' ' '+' '-'
 * '*' '=' for applied and '!' for refused. A ref git does not report was not applied.
 */
function parsePorcelain(stdout: string, stderr: string, updates: readonly RefUpdate[], url: string): RefUpdateResult[] {
  const seen = new Map<string, { ok: boolean; summary: string }>();
  for (const line of stdout.split("\n")) {
    const parts = line.split("\t");
    if (parts.length < 3 || parts[0].length !== 1) continue;
    const to = parts[1].slice(parts[1].lastIndexOf(":") + 1);
    seen.set(to, { ok: parts[0] !== "!", summary: parts.slice(2).join("\t") });
  }
  if (seen.size === 0 && updates.length > 0) {
    // No report at all: git could not reach the remote or it refused the whole push.
    throw connectionError(url, stderr, "push to");
  }
  return updates.map((u) => {
    const r = seen.get(u.ref);
    if (!r) return { ref: u.ref, ok: false, reason: "not reported by git push: not applied" };
    if (r.ok) return { ref: u.ref, ok: true };
    return {
      ref: u.ref,
      ok: false,
      reason: /stale info/.test(r.summary) ? `stale: the remote no longer holds ${u.old ? u.old.slice(0, 10) : "nothing"} there (${r.summary})` : r.summary,
    };
  });
}

/**
 * Runs git with the workspace's git dir, no prompt for a password (a tool has no terminal), and the
 * caller's signal. Its output is read up to `limit` bytes: past that, git is stopped and the call
 * fails with a DATA_ERROR naming the remote and the limit (a hostile or huge remote does not fill
 * the memory).
 */
function runGit(options: GitCliOptions, args: string[], input: string | undefined, url: string, limit: number): Promise<{ stdout: string; stderr: string }> {
  const git = options.git ?? "git";
  const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env), GIT_TERMINAL_PROMPT: "0", GIT_DIR: options.gitdir };
  delete env.GIT_WORK_TREE;
  delete env.GIT_INDEX_FILE;
  return new Promise((resolve, reject) => {
    const child = spawn(git, [`--git-dir=${options.gitdir}`, ...args], {
      env,
      stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
      signal: options.signal,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let errBytes = 0;
    let outBytes = 0;
    let tooLong = false;
    child.stdout?.on("data", (b: Buffer) => {
      if (tooLong) return;
      outBytes += b.length;
      if (outBytes <= limit) out.push(b);
      else {
        tooLong = true;
        out.length = 0;
        child.kill();
      }
    });
    child.stderr?.on("data", (b: Buffer) => {
      // Progress and messages only: keep the last 64 KB for the error.
      err.push(b);
      errBytes += b.length;
      while (errBytes > 65536 && err.length > 1) errBytes -= err.shift()!.length;
    });
    if (input !== undefined) {
      child.stdin?.on("error", () => undefined);
      child.stdin?.end(input);
    }
    child.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "ENOENT") {
        reject(
          new DwError("CONFIG_ERROR", `git is not installed (no '${git}' on PATH), and dw needs it to reach ${url}.`, {
            hint: "Install git (https://git-scm.com/downloads), or use an https:// remote, which dw reaches without git.",
            details: { remote: url },
          }),
        );
      } else if (e.name === "AbortError") {
        reject(new DwError("INTERRUPTED", `Stopped talking to ${url} (git ${args[0]}).`));
      } else reject(e);
    });
    child.on("close", (code) => {
      if (tooLong) {
        const what = args[0] === "ls-remote" ? "the list of its refs" : `the report of git ${args[0]}`;
        reject(
          new DwError("DATA_ERROR", `The git remote ${url} sent more than ${limit} bytes for ${what}, more than dw reads; git was stopped.`, {
            hint: "Check the URL (git remote -v): this remote may not be the team's registry, or holds far more refs than dw writes.",
            details: { remote: url, limit_bytes: limit },
          }),
        );
        return;
      }
      const stdout = Buffer.concat(out).toString("utf8");
      const stderr = Buffer.concat(err).toString("utf8");
      if (code === 0) resolve({ stdout, stderr });
      else if (args[0] === "push") reject(new PushRefused(stdout, stderr));
      else reject(connectionError(url, stderr, args[0] === "fetch" ? "fetch from" : "list the refs of"));
    });
  });
}

/** git's own words on why it could not reach or read the remote, credentials taken out. */
function connectionError(url: string, stderr: string, what: string): DwError {
  const lines = stderr
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !/^(remote: )?(Counting|Compressing|Enumerating|Total|Writing|Receiving|Resolving)/.test(l));
  const why = redactUrlsIn(lines.slice(-4).join(" ")).slice(0, 600) || "git gave no reason";
  return new DwError("CONNECTION_ERROR", `Could not ${what} ${url}: ${why}`, {
    hint: "Check the remote's URL (git config remote.<name>.url), that you can reach it (git ls-remote <url>), and your credentials (ssh keys for ssh remotes).",
    details: { remote: url },
  });
}
