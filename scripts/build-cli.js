// Builds the compiled CLI into dist/ with esbuild, when the sources changed since the last build
// (or with --force): arod.js, aro-agent.js and hvm-worker.js (the PeerHVM job worker), their
// shared chunks and source maps, and build.json, the stamp bin/cli-bundle.js checks at each start.
// Packages stay in node_modules (--packages=external). Plain JavaScript so setup runs it at once.
import fs from "node:fs";
import path from "node:path";
import * as esbuild from "esbuild";
import { STAMP, bundleState, distDir, root, sha256 } from "../bin/cli-bundle.js";

const ENTRIES = { arod: "app/cmd/arod.ts", "aro-agent": "app/cmd/aro-agent.ts", "hvm-worker": "workers/hvm/worker.ts" };
/** Files that shape the build without being bundled. */
const BUILD_FILES = ["tsconfig.json", "scripts/build-cli.js", "bin/cli-bundle.js"];
const LOADERS = { ".ts": "ts", ".js": "js", ".mjs": "js", ".json": "json" };

const entriesPresent = () => Object.keys(ENTRIES).every((name) => fs.existsSync(path.join(distDir, `${name}.js`)));
if (!process.argv.includes("--force") && bundleState().state === "fresh" && entriesPresent()) process.exit(0);

/** Each input as esbuild read it: its stat before the read (an edit after it shows as a new mtime) and its hash. */
const inputs = {};
function record(file, bytes, st) {
  inputs[path.relative(root, file).split(path.sep).join("/")] = { size: st.size, mtimeMs: st.mtimeMs, sha256: sha256(bytes) };
}
for (const rel of BUILD_FILES) {
  const file = path.join(root, rel);
  const st = fs.statSync(file);
  record(file, fs.readFileSync(file), st);
}
const recordInputs = {
  name: "record-inputs",
  setup(build) {
    build.onLoad({ filter: /\.(ts|js|mjs|json)$/ }, (args) => {
      const st = fs.statSync(args.path);
      const contents = fs.readFileSync(args.path);
      record(args.path, contents, st);
      return { contents, loader: LOADERS[path.extname(args.path)] };
    });
  },
};

const started = Date.now();
const out = fs.mkdtempSync(path.join(root, ".dist-"));
try {
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: ENTRIES,
    outdir: out,
    bundle: true,
    splitting: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    sourcemap: true,
    chunkNames: "chunk-[hash]",
    logLevel: "warning",
    plugins: [recordInputs],
  });
  const build = sha256(JSON.stringify(Object.entries(inputs).sort(([a], [b]) => a.localeCompare(b)).map(([f, r]) => [f, r.sha256])));
  fs.writeFileSync(path.join(out, STAMP), JSON.stringify({ build, esbuild: esbuild.version, inputs }, null, 1) + "\n");
  // Swap the new build in whole: a launcher sees the old dist/, none (and runs the sources) or the new one.
  const old = `${distDir}.old-${process.pid}`;
  if (fs.existsSync(distDir)) fs.renameSync(distDir, old);
  try {
    fs.renameSync(out, distDir);
  } catch (err) {
    if (err.code !== "ENOTEMPTY" && err.code !== "EEXIST") throw err; // another build got there first
  }
  fs.rmSync(old, { recursive: true, force: true });
  console.error(`build-cli: built dist/ (${Object.keys(ENTRIES).join(", ")}) from ${Object.keys(inputs).length} files in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} finally {
  fs.rmSync(out, { recursive: true, force: true });
}
