import type http from "node:http";
import { HttpError, badRequest, ClientGone } from "./HttpError.js";

/** Bytes of request bodies the server holds right now, across requests. */
export interface BodyBudget {
  used: number;
  max: number;
}

/** How much of a body over the limit is read and dropped, and for how long, before the connection is closed. */
const DRAIN_BYTES = 64 * 1024 * 1024;
const DRAIN_MS = 10_000;
/** A client that sends nothing for this long while its body is being dropped gets the 413 then. */
const DRAIN_IDLE_MS = 1_000;

/**
 * The body as UTF-8 text, at most `max` bytes, read as readBodyBytes reads it. Bytes that are not
 * UTF-8, and a byte order mark, are a 400 (as Python's json.loads, which MLflow reads with, refuses
 * them) rather than silently replaced.
 */
export async function readBody(req: http.IncomingMessage, res: http.ServerResponse, max: number, budget: BodyBudget): Promise<string> {
  const bytes = await readBodyBytes(req, res, max, budget);
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    throw badRequest("The request body starts with a byte order mark; send UTF-8 without one.");
  }
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw badRequest(`The request body is not valid UTF-8 (at byte ${firstInvalidUtf8(bytes)}).`);
  }
}

/**
 * The body's bytes, at most `max` (for bodies that are not all text, such as the Open Inference
 * Protocol's binary tensors). A larger body (by Content-Length, or by count) is read on and
 * dropped, up to DRAIN_BYTES or DRAIN_MS, and then answered 413: a server that answers and closes
 * while the client is still sending makes the client see a reset instead of the answer. The bytes
 * count against `budget` while they are read (a 503 past it).
 */
export function readBodyBytes(req: http.IncomingMessage, res: http.ServerResponse, max: number, budget: BodyBudget): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  let held = 0;
  const release = () => {
    budget.used -= held;
    held = 0;
  };
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = Number.isFinite(declared) && declared > max;
    let drained = 0;
    let lastData = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const started = Date.now();
    const tooLarge = (close: boolean) => {
      clearInterval(timer);
      if (close) {
        // Past what we are willing to read, or the client stopped sending: answer and close.
        res.setHeader("Connection", "close");
        req.pause();
      }
      reject(new HttpError(413, { error_code: "BAD_REQUEST", message: `The request body is larger than ${max} bytes; split the request.` }));
    };
    const startDraining = () => {
      over = true;
      chunks.length = 0;
      release();
      timer = setInterval(() => {
        if (Date.now() - lastData > DRAIN_IDLE_MS || Date.now() - started > DRAIN_MS) tooLarge(true);
      }, 200);
      timer.unref();
    };
    if (over) startDraining();
    req.on("data", (c: Buffer) => {
      lastData = Date.now();
      if (over) {
        drained += c.length;
        if (drained > DRAIN_BYTES) tooLarge(true);
        return;
      }
      size += c.length;
      if (size > max) return startDraining();
      if (budget.used + c.length > budget.max) {
        // Many large bodies at once: refuse this one rather than run out of memory.
        over = true;
        chunks.length = 0;
        release();
        res.setHeader("Connection", "close");
        res.setHeader("Retry-After", "1");
        req.pause();
        reject(new HttpError(503, { error_code: "TEMPORARILY_UNAVAILABLE", message: "The server is reading too many request bodies at once; retry shortly." }));
        return;
      }
      budget.used += c.length;
      held += c.length;
      chunks.push(c);
    });
    req.on("end", () => {
      if (over) return tooLarge(false);
      const bytes = Buffer.concat(chunks);
      chunks.length = 0;
      release();
      resolve(bytes);
    });
    const gone = () => {
      release();
      clearInterval(timer);
      reject(new ClientGone());
    };
    req.on("aborted", gone);
    req.on("error", gone);
    res.on("close", () => {
      if (!req.complete) gone();
    });
  });
}

/** The offset of the first byte that does not belong to a valid UTF-8 sequence (for the error message). */
function firstInvalidUtf8(bytes: Buffer): number {
  let lo = 0;
  let hi = bytes.length;
  // Binary search on the longest prefix that decodes; a prefix cut inside a valid sequence can
  // fail too, so step back to the sequence start afterwards.
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const ok = (n: number) => {
    try {
      decoder.decode(bytes.subarray(0, n));
      return true;
    } catch {
      return false;
    }
  };
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ok(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
