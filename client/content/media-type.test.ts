import assert from "node:assert/strict";
import { mediaTypeProblem } from "../../protocol/media-type.ts";
import { knownMediaTypes, mediaTypeOf } from "./media-type.ts";

describe("client: mediaTypeOf (the media type a publisher records for a file)", () => {
  it("knows the web's files, with utf-8 on text types", () => {
    assert.equal(mediaTypeOf("index.html"), "text/html; charset=utf-8");
    assert.equal(mediaTypeOf("site/assets/app.mjs"), "text/javascript; charset=utf-8");
    assert.equal(mediaTypeOf("style.css"), "text/css; charset=utf-8");
    assert.equal(mediaTypeOf("data.json"), "application/json");
    assert.equal(mediaTypeOf("module.wasm"), "application/wasm");
    assert.equal(mediaTypeOf("logo.svg"), "image/svg+xml");
    assert.equal(mediaTypeOf("photo.JPG"), "image/jpeg", "case-insensitive");
    assert.equal(mediaTypeOf("font.woff2"), "font/woff2");
    assert.equal(mediaTypeOf("favicon.ico"), "image/vnd.microsoft.icon");
    assert.equal(mediaTypeOf("README.md"), "text/markdown; charset=utf-8");
  });

  it("model weights and tokenizers are octets; configs are JSON", () => {
    for (const f of ["model-00001-of-00004.safetensors", "llama-7b.Q4_K_M.gguf", "model.onnx", "pytorch_model.bin", "weights.pt", "tokenizer.model"]) {
      assert.equal(mediaTypeOf(f), "application/octet-stream", f);
    }
    assert.equal(mediaTypeOf("config.json"), "application/json");
    assert.equal(mediaTypeOf("train.parquet"), "application/vnd.apache.parquet");
  });

  it("no extension, a dot file, an unknown extension or a Windows path's folder dot give octets or the file's own type", () => {
    assert.equal(mediaTypeOf("LICENSE"), "application/octet-stream");
    assert.equal(mediaTypeOf(".env"), "application/octet-stream");
    assert.equal(mediaTypeOf("archive.xyz"), "application/octet-stream");
    assert.equal(mediaTypeOf("dir.v2/LICENSE"), "application/octet-stream");
    assert.equal(mediaTypeOf("C:\\site.v2\\index.html"), "text/html; charset=utf-8");
    assert.equal(mediaTypeOf("constructor"), "application/octet-stream");
    assert.equal(mediaTypeOf("x.constructor"), "application/octet-stream", "no prototype lookups");
  });

  it("every type in the table passes the chain's media type rule", () => {
    for (const [ext, type] of knownMediaTypes()) assert.equal(mediaTypeProblem(type), undefined, `${ext}: ${type}`);
  });
});
