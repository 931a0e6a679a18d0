import type { Libp2p } from "libp2p";

/** Stops every libp2p host a test started; one a test already stopped is skipped. */
export async function stopHosts(hosts: ReadonlyArray<Libp2p<any>>): Promise<void> {
  await Promise.all(hosts.map(async (h) => {
    try {
      await h.stop();
    } catch {
      // already stopped
    }
  }));
}
