import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import http from "isomorphic-git/http/node";
import { DwError } from "../errors/DwError.js";
import { PktLineReader } from "./pktLine.js";
import { redactUrl } from "./redactUrl.js";

/** The two services of git's smart HTTP protocol: fetching (upload-pack) and pushing (receive-pack). */
export type GitService = "git-upload-pack" | "git-receive-pack";

/** How long a remote may stay silent (no connection, no header, no byte of the body) before the request fails. */
export const DEFAULT_TIMEOUT_MS = 60_000;

export interface GitHttpOptions {
  /** Milliseconds of silence after which a request fails (DEFAULT_TIMEOUT_MS). */
  timeoutMs?: number;
  /** Where DW_GIT_USERNAME and DW_GIT_PASSWORD are read (process.env). */
  env?: NodeJS.ProcessEnv;
  /** Aborting it stops the request under way (an INTERRUPTED error), e.g. a cancelled tool call. */
  signal?: AbortSignal;
}

/** One answer of the remote: its body as pkt-lines, read with the request's silence timeout. */
export interface GitHttpAnswer {
  reader: PktLineReader;
  /** Ends the request early (an answer not read to its end). */
  close(): void;
}

/**
 * The HTTP side of git's smart protocol for one remote (Documentation/gitprotocol-http.txt):
 * `GET <url>/info/refs?service=…` for the advertisement, `POST <url>/<service>` for a request.
 * Credentials come from the URL's user info (`https://user:token@host/…`), else from the env
 * variables DW_GIT_USERNAME and DW_GIT_PASSWORD (a password alone is sent with the user name
 * `git`, which hosts that take a token as the password accept); either way they go out as HTTP
 * Basic auth, and only to the remote's own origin. Every message names the remote and its URL with
 * the credentials hidden (`redactUrl`). HTTP failures, silence beyond the timeout and a server
 * that does not speak git are DwErrors saying what to do.
 */
export function createGitHttp(givenRemote: string, url: string, options: GitHttpOptions = {}) {
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // A remote given as a URL is shown as one: without its credentials.
  const remote = redactUrl(givenRemote);
  const shown = redactUrl(url);
  const where = remote === url || remote === shown ? shown : `${remote} (${shown})`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DwError("INVALID_INPUT", `The git remote ${where} is not a URL.`, {
      hint: "Give an http(s) URL such as https://git.example.com/team/models.git.",
    });
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new DwError("INVALID_INPUT", `The git remote ${where} is not an http(s) URL.`, { hint: "The HTTP transport speaks only http:// and https://." });
  }
  const user = parsed.username ? decodeURIComponent(parsed.username) : env.DW_GIT_PASSWORD ? (env.DW_GIT_USERNAME ?? "git") : undefined;
  const password = parsed.username ? decodeURIComponent(parsed.password) : env.DW_GIT_PASSWORD;
  const credentialSource = parsed.username ? "the URL" : user !== undefined ? "DW_GIT_USERNAME/DW_GIT_PASSWORD" : null;
  const secrets = [parsed.username, parsed.password, user, password].filter((s): s is string => !!s && s.length >= 3);
  parsed.username = "";
  parsed.password = "";
  let base = parsed.href.replace(/\/+$/, "");
  // Node's global agent drops a socket silent for 5 s ("Request timed out"), and a git server is
  // silent while it counts a large pack or checks a pushed one: the silence timer below
  // (timeoutMs) is the only one, so this session's agent has none.
  const agent = parsed.protocol === "https:" ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  const authHeader: Record<string, string> =
    user !== undefined ? { authorization: `Basic ${Buffer.from(`${user}:${password ?? ""}`).toString("base64")}` } : {};

  /** Text from outside (an error from the network stack) with any credential in it hidden. */
  const scrub = (text: string) => secrets.reduce((t, s) => t.split(s).join("***"), text);

  async function request(
    method: "GET" | "POST",
    target: string,
    service: GitService,
    limit: number,
    body?: Uint8Array[],
  ): Promise<{ answer: GitHttpAnswer; finalUrl: string }> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        controller.abort();
      }, timeoutMs);
    };
    /** Why the request was stopped: the caller's signal, else the silence timer. */
    const stopped = () =>
      options.signal?.aborted
        ? new DwError("INTERRUPTED", `The request to the git remote ${where} was stopped.`, { details: { remote, url: shown } })
        : new DwError("CONNECTION_ERROR", `The git remote ${where} did not answer within ${Math.round(timeoutMs / 1000)} s.`, {
            hint: "Check that the server is up and reachable from here, then try again.",
            details: { remote, url: shown, timeout_ms: timeoutMs },
          });
    const aborted = new Promise<never>((_, reject) => {
      controller.signal.addEventListener("abort", () => reject(stopped()));
    });
    aborted.catch(() => undefined);
    const cancel = () => controller.abort();
    options.signal?.addEventListener("abort", cancel, { once: true });
    if (options.signal?.aborted) controller.abort();
    const finish = () => {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", cancel);
    };
    arm();
    const headers: Record<string, string> = {
      ...authHeader,
      "user-agent": "git/dw",
      accept: method === "GET" ? "*/*" : `application/x-${service}-result`,
      ...(method === "POST" ? { "content-type": `application/x-${service}-request` } : {}),
    };
    let res: Awaited<ReturnType<typeof http.request>>;
    try {
      res = await Promise.race([http.request({ url: target, method, headers, agent, body: body as never, signal: controller.signal }), aborted]);
    } catch (e) {
      finish();
      if (controller.signal.aborted) throw stopped();
      if (e instanceof DwError) throw e;
      throw new DwError("CONNECTION_ERROR", `Could not reach the git remote ${where}: ${scrub((e as Error).message)}.`, {
        hint: "Check the URL (git remote -v), the network and that the server is up.",
        details: { remote, url: shown },
      });
    }
    const iterator = res.body ?? emptyBody();
    const close = () => {
      finish();
      controller.abort();
      void iterator.return?.();
    };
    if (res.statusCode < 200 || res.statusCode >= 300) {
      close();
      throw statusError(res.statusCode, res.statusMessage, method, service);
    }
    const type = (res.headers?.["content-type"] ?? "").split(";")[0].trim();
    const expected = method === "GET" ? `application/x-${service}-advertisement` : `application/x-${service}-result`;
    if (type !== expected) {
      close();
      throw new DwError(
        "DATA_ERROR",
        `The server at ${where} does not speak git's smart HTTP protocol: it answered ${type || "no content type"} where git answers ${expected}.`,
        {
          hint: "Check the repository's URL (git remote -v): it is the one you would give git clone, e.g. https://host/team/models.git.",
          details: { remote, url: shown, content_type: type },
        },
      );
    }
    // Each chunk re-arms the timer; a read waits on the abort too, as the node client's iterator
    // does not always end when its request is aborted between two reads.
    const chunks: AsyncIterator<Uint8Array> = {
      async next() {
        arm();
        try {
          const step = await Promise.race([iterator.next(), aborted]);
          if (step.done) finish();
          return step;
        } catch (e) {
          finish();
          if (controller.signal.aborted) throw stopped();
          if (e instanceof DwError) throw e;
          throw new DwError("CONNECTION_ERROR", `The connection to the git remote ${where} broke: ${scrub((e as Error).message)}.`, {
            hint: "Try again; if it keeps failing, check the server's logs.",
            details: { remote, url: shown },
          });
        }
      },
    };
    return { answer: { reader: new PktLineReader(chunks, limit), close }, finalUrl: res.url ?? target };
  }

  function statusError(status: number, message: string, method: string, service: GitService): DwError {
    const details = { remote, url: shown, status, method, service };
    if (status === 401) {
      const given = credentialSource ? `refused the credentials from ${credentialSource}` : "asks for credentials and none were given";
      return new DwError("CONNECTION_ERROR", `The git remote ${where} ${given} (HTTP 401).`, {
        hint: "Give a user name and a password or access token: in the remote's URL (git remote set-url <remote> https://USER:TOKEN@host/path) or in the environment (DW_GIT_USERNAME=USER DW_GIT_PASSWORD=TOKEN).",
        details,
      });
    }
    if (status === 403) {
      return new DwError("CONNECTION_ERROR", `The git remote ${where} refused ${service === "git-receive-pack" ? "a push" : "a fetch"} (HTTP 403).`, {
        hint: "The credentials given may lack the right to do this: ask the repository's owner for it, or give other credentials (in the URL or DW_GIT_USERNAME/DW_GIT_PASSWORD).",
        details,
      });
    }
    if (status === 404) {
      return new DwError("NOT_FOUND", `There is no git repository at ${where} (HTTP 404).`, {
        hint: "Check the URL (git remote -v); create the repository on the server first if it does not exist.",
        details,
      });
    }
    return new DwError("CONNECTION_ERROR", `The git remote ${where} answered HTTP ${status}${message ? ` ${message}` : ""} to ${method} ${service}.`, {
      hint:
        status >= 500
          ? "The server failed: try again, and check its logs if it keeps failing."
          : "Check the URL (git remote -v) and the server's configuration.",
      details,
    });
  }

  return {
    remote,
    /** The URL with credentials hidden, for messages. */
    url: shown,
    /** "origin (https://***@host/repo)": how messages name the remote. */
    where,
    /**
     * The advertisement of `service`: `GET info/refs?service=…`, at most `limit` bytes. A redirect
     * moves later requests to the new place.
     */
    async advertise(service: GitService, limit: number): Promise<GitHttpAnswer> {
      const suffix = `/info/refs?service=${service}`;
      const { answer, finalUrl } = await request("GET", base + suffix, service, limit);
      if (finalUrl.endsWith(suffix) && new URL(finalUrl).origin === new URL(base).origin) base = finalUrl.slice(0, -suffix.length);
      return answer;
    },
    /** A request of `service` with `body`: `POST <url>/<service>`, its answer at most `limit` bytes. */
    async post(service: GitService, body: Uint8Array[], limit = Number.POSITIVE_INFINITY): Promise<GitHttpAnswer> {
      return (await request("POST", `${base}/${service}`, service, limit, body)).answer;
    },
  };
}

/** The HTTP session `createGitHttp` returns. */
export type GitHttp = ReturnType<typeof createGitHttp>;

async function* emptyBody(): AsyncGenerator<Uint8Array> {}
