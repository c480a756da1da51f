import { test } from "node:test";
import assert from "node:assert/strict";
import { escapeHtml, html, joinHtml, raw } from "../../../src/render/html.js";
import { fmt, kv, num, table } from "../../../src/render/blocks.js";

test("html escapes every interpolated value: markup, ampersands and both quotes", () => {
  const value = `<script>alert("x")</script> & 'y'`;
  assert.equal(
    html`<td title="${value}">${value}</td>`.text,
    `<td title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;</td>`,
  );
  assert.equal(escapeHtml("a&amp;b"), "a&amp;amp;b", "text that looks escaped is still text");
});

test("Html from html or raw goes in as it is, once: nested templates are not escaped twice", () => {
  const inner = html`<code>${"a<b"}</code>`;
  assert.equal(html`<div>${inner}</div>`.text, "<div><code>a&lt;b</code></div>");
  assert.equal(html`<div>${raw("<br>")}</div>`.text, "<div><br></div>");
  assert.equal(String(inner), "<code>a&lt;b</code>");
});

test("numbers print as String does, null and undefined print nothing, lists are joined", () => {
  assert.equal(html`${0} ${1.5} ${null}|${undefined}|`.text, "0 1.5 ||");
  assert.equal(html`<ul>${["<a>", html`<li>b</li>`]}</ul>`.text, "<ul>&lt;a&gt;<li>b</li></ul>");
  assert.equal(joinHtml(["x&y", html`<b>z</b>`], " · ").text, "x&amp;y · <b>z</b>");
});

test("the blocks escape the text they are given: table headers and cells, kv names and values, numbers given as text", () => {
  const t = table(["<h>"], [["<c>", html`<em>ok</em>`]]).text;
  assert.match(t, /<th[^>]*>&lt;h&gt;<\/th>/);
  assert.match(t, /<td[^>]*>&lt;c&gt;<\/td><td[^>]*><em>ok<\/em><\/td>/);
  assert.match(kv([["<k>", "<v>"]]).text, /<th[^>]*>&lt;k&gt;<\/th><td[^>]*>&lt;v&gt;<\/td>/);
  assert.equal(fmt("<x>").text, "&lt;x&gt;");
  assert.equal(num("<x>").text, "&lt;x&gt;");
  assert.equal(num(1234567).text, "1,234,567");
  assert.equal(fmt(0.000123).text, "1.230e-4");
  assert.equal(fmt(12.345678).text, "12.346");
});
