/**
 * The import-direction check (`npm test` runs it first): every rule of
 * .dependency-cruiser.cjs (no import pointing up a layer, no file-level cycle), plus no
 * cycle between the folders of modules/ or of workers/ (module A imports B and B imports
 * A through any files). Folder cycles that still exist are listed in
 * scripts/layers-baseline.json: the check fails on any new one and on a listed one that
 * has grown, and asks for the list to shrink when one is gone. Exits 1 on a failure.
 *
 *   npx tsx scripts/check-layers.ts [--json]
 */
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { cruise, type ICruiseResult } from "dependency-cruiser";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
process.chdir(root);
const require = createRequire(import.meta.url);
const config = require(path.join(root, ".dependency-cruiser.cjs"));
const baselineFile = path.join(root, "scripts", "layers-baseline.json");
const baseline: { folderCycles: string[][] } = JSON.parse(fs.readFileSync(baselineFile, "utf8"));

const roots = ["chain", "protocol", "modules", "client", "workers", "app", "scripts", "test", "bin"].filter((d) => fs.existsSync(d));
const result = (await cruise(roots, { ...config.options, validate: true, ruleSet: { forbidden: config.forbidden } })).output as ICruiseResult;

const problems: string[] = [];
for (const v of result.summary.violations) {
  const cycle = v.cycle?.length ? ` (cycle: ${v.cycle.map((c) => (typeof c === "string" ? c : c.name)).join(" → ")})` : "";
  problems.push(`${v.rule.name}: ${v.from} → ${v.to}${cycle}`);
}

/** Strongly connected components with more than one member (Tarjan). */
function cycles(edges: Map<string, Set<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1) out.push(c.sort());
    }
  };
  for (const v of [...edges.keys()].sort()) if (!index.has(v)) visit(v);
  return out;
}

const folderOf = (file: string) => file.match(/^(modules|workers|client|app)\/[^/]+(?=\/)/)?.[0];
const folderEdges = new Map<string, Set<string>>();
for (const m of result.modules) {
  // a spec beside the code may import anything, like test/: it adds no edge between folders
  if (m.source.endsWith(".test.ts")) continue;
  const from = folderOf(m.source);
  if (!from) continue;
  for (const d of m.dependencies) {
    const to = folderOf(d.resolved);
    if (!to || to === from || to.split("/")[0] !== from.split("/")[0]) continue;
    if (!folderEdges.has(from)) folderEdges.set(from, new Set());
    folderEdges.get(from)!.add(to);
  }
}
const found = cycles(folderEdges);
const key = (c: string[]) => c.join(" ↔ ");
const known = new Set(baseline.folderCycles.map(key));
const gone = [...known].filter((k) => !found.some((c) => key(c) === k));
for (const c of found) {
  if (known.has(key(c))) continue;
  const grownFrom = baseline.folderCycles.find((b) => b.every((f) => c.includes(f)));
  problems.push(grownFrom ? `folder cycle grew: ${key(grownFrom)} is now ${key(c)}` : `new folder cycle: ${key(c)}`);
}
for (const k of gone) problems.push(`folder cycle ${k} is gone: remove it from scripts/layers-baseline.json`);

if (process.argv.includes("--json")) {
  console.log(JSON.stringify({ files: result.summary.totalCruised, violations: result.summary.violations.length, folderCycles: found, problems }, null, 2));
} else {
  const left = found.filter((c) => known.has(key(c)));
  console.log(`layers: ${result.summary.totalCruised} files, ${result.summary.violations.length} rule violations, ${found.length} folder cycles (${left.length} known, listed in scripts/layers-baseline.json)`);
  for (const p of problems) console.log(`  ✗ ${p}`);
}
process.exitCode = problems.length ? 1 : 0;
