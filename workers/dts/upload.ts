import type http from "node:http";
import { chunkContent } from "./content.ts";
import { checkRoot, DtsError } from "./service.ts";
import type { Blockstore } from "./blockstore.ts";

/** Whether this node takes an upload of `root`: the chain must have assigned it a replica of it. */
export type UploadPolicy = (root: string) => Promise<{ size: number; chunkSize: number } | undefined>;

/**
 * PUT /content/<root>: a publisher pushes a content to the nodes the chain assigned as
 * its replicas. The body is chunked with the chain's chunk size and kept only if it
 * rebuilds the root the chain knows.
 */
export async function receiveUpload(store: Blockstore, policy: UploadPolicy, root: string, req: http.IncomingMessage): Promise<void> {
  checkRoot(root);
  if (store.has(root)) {
    req.resume();
    return;
  }
  const expected = await policy(root);
  if (!expected) throw new DtsError(403, `the chain assigns no replica of ${root} to this node`);
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of req) {
    size += (part as Buffer).length;
    if (size > expected.size) throw new DtsError(413, `body is larger than the ${expected.size} bytes the chain records`);
    parts.push(part as Buffer);
  }
  const { content, chunks } = chunkContent(new Uint8Array(Buffer.concat(parts)), expected.chunkSize);
  if (content.root !== root || content.size !== expected.size) throw new DtsError(422, `the body's root is ${content.root} (${content.size} bytes), not ${root} (${expected.size} bytes)`);
  store.put(content, chunks);
}
