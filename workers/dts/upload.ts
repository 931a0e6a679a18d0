import type http from "node:http";
import { checkRoot, DtsError } from "../../client/fetch/dts-error.ts";
import type { Blockstore } from "../../client/content/blockstore.ts";
import { Chunker } from "../../client/content/chunker.ts";

/** Whether this node takes an upload of `root`: the chain must have assigned it a replica of it. */
export type UploadPolicy = (root: string) => Promise<{ size: number; chunkSize: number } | undefined>;

/** What an accepted upload did: kept a new content, or matched one the node already held. */
export type UploadOutcome = "stored" | "held";

/** The response header telling a publisher where to resume an upload (bytes the node holds from the start). */
export const UPLOAD_OFFSET_HEADER = "upload-offset";

/** Bytes from the start of `root` this node holds: its size once complete, 0 for a content it never began. */
export function uploadOffset(store: Blockstore, root: string): number {
  checkRoot(root);
  const done = store.manifest(root);
  if (done) return done.size;
  const m = store.partial(root);
  if (!m) return 0;
  const { bits, total } = store.heldChunks(root);
  let i = 0;
  while (i < total && bits[i >> 3] & (1 << (i & 7))) i++;
  return Math.min(m.size, i * m.chunkSize);
}

/** Parses `Content-Range: bytes S-E/T` of a resumed upload: it must run to the end of a content of `size` bytes. */
function resumeFrom(header: string | undefined, size: number, chunkSize: number): number {
  if (header === undefined) return 0;
  const m = /^bytes (\d{1,15})-(\d{1,15})\/(\d{1,15})$/.exec(header.trim());
  if (!m || Number(m[3]) !== size || Number(m[2]) !== size - 1 || Number(m[1]) > size - 1) throw new DtsError(416, `Content-Range must be "bytes <start>-${size - 1}/${size}", got ${JSON.stringify(header.slice(0, 80))}`);
  const start = Number(m[1]);
  if (start % chunkSize !== 0) throw new DtsError(416, `an upload resumes at a chunk boundary (a multiple of ${chunkSize}), not ${start}`);
  return start;
}

/**
 * PUT /content/<root>: a publisher pushes a content to the nodes the chain assigned as
 * its replicas. The chain's assignment is checked before the body is read (403). The body
 * streams into the store one chunk at a time (memory: one chunk), so any size the chain
 * allows fits; a body longer than the chain records is a 413, a shorter or wrong one a
 * 422 (wrong root: what was received is deleted). An interrupted upload keeps what
 * arrived: HEAD /upload/<root> says how far (`Upload-Offset`), and a PUT with
 * `Content-Range: bytes <offset>-<size-1>/<size>` goes on from there. A content the node
 * already holds is read and checked chunk by chunk against it and left untouched ("held").
 */
export async function receiveUpload(store: Blockstore, policy: UploadPolicy, root: string, req: http.IncomingMessage): Promise<UploadOutcome> {
  checkRoot(root);
  const expected = await policy(root);
  if (!expected) throw new DtsError(403, `the chain assigns no replica of ${root} to this node`);
  const { size, chunkSize } = expected;
  const start = resumeFrom(req.headers["content-range"], size, chunkSize);
  const held = store.has(root);
  if (!held) {
    store.begin({ root, size, chunkSize });
    if (start > uploadOffset(store, root)) throw new DtsError(409, `this node holds ${uploadOffset(store, root)} bytes of ${root}: resume from there`);
  }
  // Node's parser has already refused a malformed or conflicting Content-Length
  const announced = req.headers["content-length"];
  if (announced !== undefined) {
    const n = Number(announced);
    if (n > size - start) throw new DtsError(413, `body is larger than the ${size - start} bytes the chain records${start ? ` after ${start}` : ""}`);
    if (n < size - start) throw new DtsError(422, `the body is ${n} bytes, not the ${size - start} bytes the chain records for ${root}${start ? ` after ${start}` : ""}`);
  }
  let index = start / chunkSize;
  const chunks = new Chunker(chunkSize, (data) => {
    if (held) {
      if (!store.matches(root, index, data)) throw new DtsError(422, `chunk ${index} of the body is not chunk ${index} of ${root}, which this node holds`);
    } else {
      store.writeChunk(root, index, data);
    }
    index++;
  });
  try {
    for await (const part of req) {
      if (chunks.size + (part as Buffer).length > size - start) throw new DtsError(413, `body is larger than the ${size - start} bytes the chain records`);
      chunks.push(part as Buffer);
    }
  } catch (err) {
    if (err instanceof DtsError) throw err;
    throw new DtsError(400, `the body did not arrive whole (resume with HEAD /upload/${root}): ${(err as Error).message}`);
  }
  const received = chunks.size;
  // a short last chunk is the content's last: stored only when the body is whole
  if (received === size - start) chunks.end();
  if (received !== size - start) throw new DtsError(422, `the body is ${received} bytes, not the ${size - start} bytes the chain records for ${root}${start ? ` after ${start}` : ""}`);
  if (held) return "held";
  try {
    store.finish(root);
  } catch (err) {
    throw new DtsError(422, `the body is not ${root} (${size} bytes): ${(err as Error).message}`);
  }
  return "stored";
}
