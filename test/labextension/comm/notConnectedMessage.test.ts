import { test } from "node:test";
import assert from "node:assert/strict";
import { notConnectedMessage } from "../../../labextension/src/comm/notConnectedMessage.js";

test("Productionize without a dw kernel says why and what to do, for each state of the connection", () => {
  assert.match(notConnectedMessage({ kind: "no-notebook" }), /No notebook is open\. Open a notebook with the TypeScript \(dw\) kernel/);
  assert.match(
    notConnectedMessage({ kind: "other-kernel", kernelDisplayName: "Python 3" }),
    /runs the kernel "Python 3"\. Switch it to the TypeScript \(dw\) kernel/,
  );
  assert.match(notConnectedMessage({ kind: "connecting" }), /still starting/);
  assert.equal(notConnectedMessage({ kind: "failed", message: "The kernel closed the comm." }), "The kernel closed the comm.");
  assert.match(notConnectedMessage({ kind: "connected" }), /Click refresh in the dw sidebar/);
});
