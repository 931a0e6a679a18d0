// The compiled CLI in dist/ (built by scripts/build-cli) and whether it is still the sources'
// build. Plain JavaScript on node: builtins only, so the launchers start without a compiler.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const distDir = path.join(root, "dist");
/** What dist/ was built from: { build, inputs: { "<path from root>": { size, mtimeMs, sha256 } } }. */
export const STAMP = "build.json";
const STALE_NOTED = ".stale-noted";

export const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");

/**
 * Whether dist/ holds a build of the sources as they are now: "fresh", "missing" (never built,
 * or half written), or "stale" with the inputs that changed. Size and mtime tell most edits
 * without reading a file; a file whose mtime moved (a checkout, a touch) is read and hashed.
 */
export function bundleState(dir = distDir) {
  let stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(path.join(dir, STAMP), "utf8"));
  } catch {
    return { state: "missing" };
  }
  if (!stamp || typeof stamp.inputs !== "object" || typeof stamp.build !== "string") return { state: "missing" };
  const changed = [];
  for (const [rel, want] of Object.entries(stamp.inputs)) {
    const file = path.join(root, rel);
    let st;
    try {
      st = fs.statSync(file);
    } catch {
      changed.push(rel);
      continue;
    }
    if (st.size === want.size && st.mtimeMs === want.mtimeMs) continue;
    if (st.size !== want.size || sha256(fs.readFileSync(file)) !== want.sha256) changed.push(rel);
  }
  return changed.length > 0 ? { state: "stale", changed, build: stamp.build } : { state: "fresh", build: stamp.build };
}

/** Says once per build (not at every start) that the bundle is stale and the sources run instead. */
function noteStale(name, state) {
  const marker = path.join(distDir, STALE_NOTED);
  try {
    if (fs.readFileSync(marker, "utf8") === state.build) return;
  } catch {
    // not noted yet
  }
  const more = state.changed.length > 1 ? ` and ${state.changed.length - 1} more` : "";
  process.stderr.write(`${name}: dist/ is older than ${state.changed[0]}${more}: running the TypeScript sources with tsx (slower start) until \`bash scripts/build-cli\` rebuilds it\n`);
  try {
    fs.writeFileSync(marker, state.build);
  } catch {
    // a read-only checkout says it again next time
  }
}

/**
 * Runs command `name`: dist/<name>.js when dist/ is the sources' build, else `source` (a .ts
 * file from the project root) through tsx's loader. A stale bundle never runs.
 */
export async function launch(name, source) {
  const bundle = path.join(distDir, `${name}.js`);
  const state = process.env.ARO_CLI_SOURCES === "1" ? { state: "missing" } : bundleState();
  if (state.state === "fresh" && fs.existsSync(bundle)) {
    await import(pathToFileURL(bundle).href);
    return;
  }
  if (state.state === "stale") noteStale(name, state);
  const { register } = await import("tsx/esm/api");
  register();
  await import(pathToFileURL(path.join(root, source)).href);
}
