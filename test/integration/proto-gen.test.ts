import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "../../app/testnet/local-node.ts";

function files(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name), base) : [path.relative(base, path.join(dir, e.name))])).sort();
}

describe("proto: the committed TypeScript is what proto/*.proto generates", () => {
  it("buf + ts-proto regenerate proto/gen byte for byte (run `bash scripts/gen-proto` after editing a .proto)", function () {
    this.timeout(60_000);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "aro-proto-"));
    try {
      const r = spawnSync("bash", [path.join(repoRoot, "scripts", "gen-proto"), out], { cwd: repoRoot, encoding: "utf8" });
      assert.equal(r.status, 0, r.stderr);
      const committed = path.join(repoRoot, "proto", "gen");
      const fresh = path.join(out, "gen");
      assert.deepEqual(files(fresh), files(committed));
      for (const f of files(fresh)) assert.equal(fs.readFileSync(path.join(fresh, f), "utf8"), fs.readFileSync(path.join(committed, f), "utf8"), `${f} is stale`);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
