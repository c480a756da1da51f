import { DwError } from "../../errors/DwError.js";

/**
 * The base URL of an MLflow tracking server, checked before any request: http or https only, no
 * credentials, query or fragment in it (credentials come from MLflow's own environment variables,
 * see trackingAuth), and without a trailing slash so that API paths can be appended (a server
 * behind a proxy may sit under a path prefix, e.g. https://host/mlflow).
 *
 * @example
 * ```ts
 * trackingUrl("http://127.0.0.1:5000/") // "http://127.0.0.1:5000"
 * ```
 */
export function trackingUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(url, "it is not an absolute URL");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw invalid(url, `its scheme is ${parsed.protocol.replace(/:$/, "")}, not http or https`);
  if (parsed.username || parsed.password) {
    throw new DwError("INVALID_INPUT", "The MLflow URL carries credentials; dw does not take them from a URL (it would print them).", {
      hint: "Remove user:password@ from --url and set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD (or MLFLOW_TRACKING_TOKEN), as MLflow's own clients read them.",
      details: { field: "url" },
    });
  }
  if (parsed.search || parsed.hash) throw invalid(url, "it has a query or fragment");
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, "")}`;
}

function invalid(url: string, why: string): DwError {
  return new DwError("INVALID_INPUT", `'${url.slice(0, 200)}' is not an MLflow tracking server URL: ${why}.`, {
    hint: "Pass the server's base URL, e.g. --url http://127.0.0.1:5000 (what MLFLOW_TRACKING_URI holds for a tracking server).",
    details: { field: "url" },
  });
}

/**
 * The Authorization header MLflow's clients send, from the same environment variables:
 * MLFLOW_TRACKING_TOKEN as a Bearer token, else MLFLOW_TRACKING_USERNAME and
 * MLFLOW_TRACKING_PASSWORD as Basic credentials; none when neither is set. A username without a
 * password (or the reverse) is a CONFIG_ERROR rather than a request the server refuses.
 */
export function trackingAuth(env: NodeJS.ProcessEnv): string | undefined {
  const token = env.MLFLOW_TRACKING_TOKEN;
  if (token) return `Bearer ${token}`;
  const user = env.MLFLOW_TRACKING_USERNAME;
  const password = env.MLFLOW_TRACKING_PASSWORD;
  if (!user && !password) return undefined;
  if (!user || !password) {
    throw new DwError(
      "CONFIG_ERROR",
      `MLFLOW_TRACKING_${user ? "USERNAME" : "PASSWORD"} is set but MLFLOW_TRACKING_${user ? "PASSWORD" : "USERNAME"} is not.`,
      {
        hint: "Set both for Basic authentication, or MLFLOW_TRACKING_TOKEN for a Bearer token, or neither for a server without authentication.",
      },
    );
  }
  return `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;
}
