/**
 * What `GET /status` of dw serve answers (JSON), and what get_ml_status and the sidebar read from
 * it: per endpoint the requests, errors and latency the server has measured. Imports nothing but
 * zod, so the labextension can compile it too.
 */
import { z } from "zod";

export const EndpointTraffic = z.object({
  model_name: z.string(),
  version: z.number().int().describe("The version that answered these requests."),
  alias: z.string().nullable().describe("The alias the requests named, or null for a pinned version (/models/<name>/<version>)."),
  protocol: z.enum(["mlflow", "oip"]).describe("Which protocol the requests spoke."),
  requests: z.number().int().describe("Requests answered since the server started."),
  client_errors: z.number().int().describe("Of those, answered 4xx (a request the client got wrong)."),
  server_errors: z.number().int().describe("Of those, answered 5xx (the server or the model failed)."),
  rows: z.number().int().describe("Rows scored."),
  first_request_at: z.string().describe("ISO time of the first request this server answered for it."),
  last_request_at: z.string().describe("ISO time of the last one."),
  window_seconds: z.number().describe("The span the window percentiles cover (the most recent requests)."),
  window_requests: z.number().int(),
  p50_ms: z.number().nullable().describe("Median time from request to answer over the window, in milliseconds; null with no requests in it."),
  p99_ms: z.number().nullable(),
});
export type EndpointTraffic = z.infer<typeof EndpointTraffic>;

export const ServingStatus = z.object({
  started_at: z.string().describe("When this dw serve started (ISO time)."),
  workers: z.number().int().describe("How many processes answer requests."),
  endpoints: z.array(EndpointTraffic),
});
export type ServingStatus = z.infer<typeof ServingStatus>;
