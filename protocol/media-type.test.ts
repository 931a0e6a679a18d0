import assert from "node:assert/strict";
import { DEFAULT_MEDIA_TYPE, MAX_MEDIA_TYPE_BYTES, mediaTypeProblem, servedMediaType } from "./media-type.ts";

describe("media type rule (what MsgPublishContent accepts and HTTP serves)", () => {
  it("accepts empty, lower-case type/subtype, vendor and suffix subtypes, and one '; charset='", () => {
    for (const t of ["", "text/html", "application/javascript", "image/svg+xml", "application/vnd.aro.safetensors", "application/x-gguf",
      "font/woff2", "text/html; charset=utf-8", "text/plain; charset=iso-8859-1", "model/gltf-binary", "application/ld+json"]) {
      assert.equal(mediaTypeProblem(t), undefined, t);
    }
  });

  it("refuses upper case, missing parts, other parameters, spacing and quoting variants, header injection", () => {
    for (const t of ["Text/HTML", "text", "text/", "/html", "text/html;charset=utf-8", "text/html;  charset=utf-8", "text/html; charset=UTF-8",
      "text/html; charset=\"utf-8\"", "text/html; q=1", "text/html; charset=utf-8; x=1", " text/html", "text/html ", "text/html\r\nx-a: b",
      "text/-html", "text/ht ml", "text/html\u00e9", "*/*", "text/*"]) {
      assert.match(mediaTypeProblem(t) ?? "", /lower-case type\/subtype/, JSON.stringify(t));
    }
  });

  it("at most 127 bytes, counted as UTF-8 bytes", () => {
    const at = `application/${"x".repeat(MAX_MEDIA_TYPE_BYTES - "application/".length)}`;
    assert.equal(mediaTypeProblem(at), undefined);
    assert.match(mediaTypeProblem(at + "x")!, /128 bytes, at most 127/);
    assert.match(mediaTypeProblem("é".repeat(64))!, /128 bytes/);
  });

  it("an empty media type is served as application/octet-stream", () => {
    assert.equal(servedMediaType(""), DEFAULT_MEDIA_TYPE);
    assert.equal(servedMediaType("text/css"), "text/css");
  });
});
