import { isContentRoot } from "../content/cid.ts";

/** A PeerDTS refusal with the HTTP status it is answered with (the libp2p protocol carries the same). */
export class DtsError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** Refuses anything but a 64-hex-digit content root. */
export function checkRoot(root: string): void {
  if (!isContentRoot(root)) throw new DtsError(400, `content root must be 64 hex digits, got ${JSON.stringify(root)}`);
}
