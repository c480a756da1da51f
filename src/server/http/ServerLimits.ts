/** What one dw serve process accepts at most; each over-limit answer is a 4xx, or a 503 with Retry-After. */
export interface ServerLimits {
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
  /** Most rows scored in one request. */
  maxRows: number;
  /** Most bytes of request bodies held at once, over all requests being read (a 503 past it). */
  maxBufferedBytes: number;
  /** Most open connections. */
  maxConnections: number;
  /** Longest a request may take to arrive whole, in milliseconds (a 408 past it, and the connection closed). */
  requestTimeoutMs: number;
  /** Most requests handled at once, health routes aside (a 503 with Retry-After past it). */
  maxInFlight: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  maxBodyBytes: 16 * 1024 * 1024,
  maxRows: 100_000,
  maxBufferedBytes: 64 * 1024 * 1024,
  maxConnections: 1024,
  requestTimeoutMs: 60_000,
  maxInFlight: 256,
};
