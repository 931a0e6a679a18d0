import type http from "node:http";
import { chunkContent } from "../../client/content/chunks.ts";
import { checkRoot, DtsError } from "../../client/fetch/dts-error.ts";
import type { Blockstore } from "../../client/content/blockstore.ts";

/** Whether this node takes an upload of `root`: the chain must have assigned it a replica of it. */
export type UploadPolicy = (root: string) => Promise<{ size: number; chunkSize: number } | undefined>;

/** What an accepted upload did: kept a new content, or matched one the node already held. */
export type UploadOutcome = "stored" | "held";

/**
 * PUT /content/<root>: a publisher pushes a content to the nodes the chain assigned as
 * its replicas. The chain's assignment is checked before the body is read (403); the
 * body is then read whole (413 if larger than the chain records, 422 if it is not exactly
 * the content: wrong size or wrong root), chunked with the chain's chunk size and kept
 * only if it rebuilds the root the chain knows. A content the node already holds gets
 * the same checks and is left untouched ("held"), so the answer always says what happened.
 */
export async function receiveUpload(store: Blockstore, policy: UploadPolicy, root: string, req: http.IncomingMessage): Promise<UploadOutcome> {
  checkRoot(root);
  const expected = await policy(root);
  if (!expected) throw new DtsError(403, `the chain assigns no replica of ${root} to this node`);
  // Node's parser has already refused a malformed or conflicting Content-Length
  const announced = req.headers["content-length"];
  if (announced !== undefined) {
    const n = Number(announced);
    if (n > expected.size) throw new DtsError(413, `body is larger than the ${expected.size} bytes the chain records`);
    if (n < expected.size) throw new DtsError(422, `the body is ${n} bytes, not the ${expected.size} bytes the chain records for ${root}`);
  }
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const part of req) {
      size += (part as Buffer).length;
      if (size > expected.size) throw new DtsError(413, `body is larger than the ${expected.size} bytes the chain records`);
      parts.push(part as Buffer);
    }
  } catch (err) {
    if (err instanceof DtsError) throw err;
    throw new DtsError(400, `the body did not arrive whole: ${(err as Error).message}`);
  }
  if (size !== expected.size) throw new DtsError(422, `the body is ${size} bytes, not the ${expected.size} bytes the chain records for ${root}`);
  const { content, chunks } = chunkContent(new Uint8Array(Buffer.concat(parts)), expected.chunkSize);
  if (content.root !== root) throw new DtsError(422, `the body's root is ${content.root} (${content.size} bytes), not ${root} (${expected.size} bytes)`);
  // checked only now: another upload of the same content may have finished meanwhile
  if (store.has(root)) return "held";
  store.put(content, chunks);
  return "stored";
}
