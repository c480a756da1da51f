import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { createMessageFactory } from "../../../kernel/jupyterProtocol/message.js";
import { createSigner, decodeMessage, DELIMITER, encodeMessage, WireError } from "../../../kernel/jupyterProtocol/wire.js";

const key = "3c1e4d35-6f2b-4a8e-9d6b-0f8e5a7c2b11";

test("the signature is HMAC-SHA256 of header, parent, metadata and content, in hex", () => {
  const parts = ['{"a":1}', "{}", "{}", '{"code":"1"}'].map((s) => Buffer.from(s));
  const expected = createHmac("sha256", key).update(Buffer.concat(parts)).digest("hex");
  const signer = createSigner(key);
  assert.equal(signer.sign(parts), expected);
  assert.ok(signer.verify(expected, parts));
  assert.ok(
    !signer.verify(
      expected.replace(/.$/, (c) => (c === "0" ? "1" : "0")),
      parts,
    ),
  );
  assert.ok(!signer.verify("", parts));
});

test("an empty key means no signing, as the spec allows", () => {
  const signer = createSigner("");
  assert.equal(signer.sign([Buffer.from("{}")]), "");
  assert.ok(signer.verify("anything", [Buffer.from("{}")]));
});

test("only hmac-sha* schemes are accepted", () => {
  assert.throws(() => createSigner(key, "rsa"), WireError);
  assert.doesNotThrow(() => createSigner(key, "hmac-sha512"));
});

test("encode then decode gives the message back, with identities and buffers", () => {
  const signer = createSigner(key);
  const factory = createMessageFactory({ session: "s1", username: "u" });
  const request = factory.create("execute_request", { code: "1 + 2" }, undefined, [Buffer.from("client-id")]);
  const reply = factory.create("execute_reply", { status: "ok", execution_count: 1 }, request);
  reply.buffers = [Buffer.from([1, 2, 3])];
  const frames = encodeMessage(reply, signer);
  assert.equal(frames[0].toString(), "client-id");
  assert.ok(frames[1].equals(DELIMITER));
  const back = decodeMessage(frames, signer);
  assert.deepEqual(back.identities.map(String), ["client-id"]);
  assert.equal(back.header.msg_type, "execute_reply");
  assert.equal(back.header.version, "5.3");
  assert.equal(back.header.session, "s1");
  assert.deepEqual(back.parent_header, request.header);
  assert.deepEqual(back.content, { status: "ok", execution_count: 1 });
  assert.deepEqual([...back.buffers[0]], [1, 2, 3]);
});

test("a reply goes back to the identities of its request", () => {
  const factory = createMessageFactory();
  const request = factory.create("kernel_info_request", {}, undefined, [Buffer.from("a"), Buffer.from("b")]);
  const reply = factory.create("kernel_info_reply", {}, request);
  assert.deepEqual(reply.identities.map(String), ["a", "b"]);
  assert.notEqual(reply.header.msg_id, request.header.msg_id);
});

test("decode rejects a bad signature, a missing delimiter, missing parts and non-JSON parts", () => {
  const signer = createSigner(key);
  const msg = createMessageFactory().create("execute_request", { code: "x" });
  const frames = encodeMessage(msg, createSigner("other key"));
  assert.throws(() => decodeMessage(frames, signer), /signature does not match/);
  assert.throws(() => decodeMessage([Buffer.from("id"), Buffer.from("{}")], signer), /no <IDS\|MSG> delimiter/);
  assert.throws(() => decodeMessage([DELIMITER, Buffer.from(""), Buffer.from("{}")], signer), /expected at least 5/);
  const parts = ["not json", "{}", "{}", "{}"].map((s) => Buffer.from(s));
  assert.throws(() => decodeMessage([DELIMITER, Buffer.from(signer.sign(parts)), ...parts], signer), /header is not JSON/);
  const noType = ['{"msg_id":"1"}', "{}", "{}", "{}"].map((s) => Buffer.from(s));
  assert.throws(() => decodeMessage([DELIMITER, Buffer.from(signer.sign(noType)), ...noType], signer), /lacks msg_type/);
});
