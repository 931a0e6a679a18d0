import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

/** A built file held in memory, with its gzip form when that is smaller. */
export interface StaticFile {
  readonly body: Buffer;
  readonly gzip?: Buffer;
  readonly type: string;
  readonly etag: string;
  /** Under assets/: its name carries its hash, so browsers keep it for a year. */
  readonly immutable: boolean;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".json": "application/json",
  ".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon", ".txt": "text/plain; charset=utf-8", ".map": "application/json",
};
/** The console is a few hundred KB; a folder far bigger than this is not its build. */
const MAX_FILES = 500;
const MAX_BYTES = 32 * 1024 * 1024;

/**
 * The console's built files (scripts/build-console writes them to .bin/console/), read once into
 * memory by URL path ("/index.html", "/assets/…"): requests are answered from this map only, so
 * no request path ever reaches the file system. undefined when the folder has no index.html.
 */
export function loadStaticFiles(dir: string): Map<string, StaticFile> | undefined {
  if (!fs.existsSync(path.join(dir, "index.html"))) return undefined;
  const files = new Map<string, StaticFile>();
  let total = 0;
  const walk = (sub: string) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      if (!entry.isFile()) continue;
      const body = fs.readFileSync(path.join(dir, rel));
      total += body.length;
      if (files.size >= MAX_FILES || total > MAX_BYTES) throw new Error(`${dir} holds over ${MAX_FILES} files or ${MAX_BYTES} bytes: not a console build`);
      const gzip = zlib.gzipSync(body, { level: 9 });
      files.set(`/${rel}`, {
        body, gzip: gzip.length < body.length ? gzip : undefined, type: TYPES[path.extname(rel)] ?? "application/octet-stream",
        etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`, immutable: rel.startsWith("assets/"),
      });
    }
  };
  walk("");
  return files;
}
