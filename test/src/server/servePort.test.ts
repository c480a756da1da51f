import { test } from "node:test";
import assert from "node:assert/strict";
import { servePort } from "../../../src/server/ensureServer.js";
import { isDwError } from "../../../src/errors/DwError.js";

test("dw serve's port comes from DW_SERVE_PORT, 0 (any free port) without it; anything else that is not a port is a CONFIG_ERROR naming the value", () => {
  assert.equal(servePort({}), 0);
  assert.equal(servePort({ DW_SERVE_PORT: "" }), 0);
  assert.equal(servePort({ DW_SERVE_PORT: "8123" }), 8123);
  assert.equal(servePort({ DW_SERVE_PORT: " 0 " }), 0);
  for (const bad of ["80a", "-1", "65536", "1e3", "8080 9090"]) {
    assert.throws(
      () => servePort({ DW_SERVE_PORT: bad }),
      (e: unknown) => isDwError(e) && e.code === "CONFIG_ERROR" && e.message.includes(`'${bad.trim()}'`) && /0 for any free port/.test(e.hint ?? ""),
      bad,
    );
  }
});
