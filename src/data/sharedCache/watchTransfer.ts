import { DwError } from "../../errors/DwError.js";

/** How long an S3 request may move no byte (no answer, no body chunk either way) before it fails. */
export const DEFAULT_STALL_MS = 60_000;

/** One request's watch: its abort signal, the stall timer bytes re-arm, and why it was stopped. */
export interface TransferWatch {
  /** Aborts the request: the caller's interrupt or the stall timer. */
  readonly signal: AbortSignal;
  /** Bytes moved: the stall timer starts again. */
  alive(): void;
  /** Why the request was stopped (INTERRUPTED, or a CONNECTION_ERROR for a stall), or null while it runs. */
  failure(): DwError | null;
  /** The request is over: the timer and the listener on the caller's signal go. */
  done(): void;
  /** The answer with its body watched too: every chunk re-arms the timer; its end, error or cancel ends the watch. */
  response(res: Response): Response;
}

/** What a watched request is, for its messages. */
export interface TransferWhat {
  /** The endpoint's name, e.g. http://minio:9000 or AWS S3 (eu-west-1). */
  endpoint: string;
  /** The shared cache's location, s3://bucket/prefix. */
  location: string;
  /** What dw was doing: "read from", "write to", "look in". */
  action: string;
}

/**
 * Watches one request to an S3 endpoint: it fails when no byte moves for `stallMs` (a server that
 * accepts and never answers, or stops sending or reading mid-file, is a CONNECTION_ERROR naming
 * the endpoint instead of a call that never returns), and stops when the caller's `signal` aborts
 * (INTERRUPTED: a cancelled tool call). A transfer that keeps moving bytes runs as long as it needs.
 */
export function watchTransfer(what: TransferWhat, stallMs: number, signal?: AbortSignal): TransferWatch {
  const controller = new AbortController();
  let reason: DwError | null = null;
  let timer: NodeJS.Timeout | undefined;
  const stop = (why: DwError) => {
    if (reason) return;
    reason = why;
    clearTimeout(timer);
    controller.abort(why);
  };
  const interrupt = () =>
    stop(
      new DwError("INTERRUPTED", `Stopped the request to ${what.endpoint} to ${what.action} the shared cache ${what.location}.`, {
        details: { shared_cache: what.location, endpoint: what.endpoint },
      }),
    );
  const alive = () => {
    if (reason) return;
    clearTimeout(timer);
    timer = setTimeout(
      () =>
        stop(
          new DwError(
            "CONNECTION_ERROR",
            `${what.endpoint} moved no byte for ${stallMs % 1000 === 0 ? stallMs / 1000 : (stallMs / 1000).toFixed(1)} s while dw was trying to ${what.action} the shared cache ${what.location}, so dw gave up.`,
            {
              hint: "The S3 server or the network stalled: check that the endpoint is up and reachable from here, then run the command again; nothing partial was kept.",
              details: { shared_cache: what.location, endpoint: what.endpoint, stall_ms: stallMs },
            },
          ),
        ),
      stallMs,
    );
    // A pending stall timer alone does not keep the process alive; the request's socket does.
    timer.unref();
  };
  const done = () => {
    clearTimeout(timer);
    signal?.removeEventListener("abort", interrupt);
  };
  signal?.addEventListener("abort", interrupt, { once: true });
  if (signal?.aborted) interrupt();
  alive();
  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener("abort", () => reject(reason));
  });
  aborted.catch(() => undefined);

  return {
    signal: controller.signal,
    alive,
    failure: () => reason,
    done,
    response(res) {
      alive();
      if (!res.body) {
        done();
        return res;
      }
      const reader = res.body.getReader();
      const body = new ReadableStream<Uint8Array>({
        async pull(stream) {
          try {
            const step = await Promise.race([reader.read(), aborted]);
            if (step.done) {
              done();
              stream.close();
              return;
            }
            alive();
            stream.enqueue(step.value);
          } catch (e) {
            done();
            stream.error(reason ?? e);
          }
        },
        async cancel(why) {
          done();
          await reader.cancel(why).catch(() => undefined);
        },
      });
      return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
    },
  };
}
