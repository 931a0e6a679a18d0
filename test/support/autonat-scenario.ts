// Run by test/e2e/p2p-autonat.test.ts, one role per network namespace (two hosts joined by
// a veth cable). Each role prints one JSON line.
//   verifier <ip>            a public peer: listens on <ip>:4001, announced; stops when stdin closes
//   node <ip> <verifier>     listens on 0.0.0.0:4002 with nothing announced by hand, dials the
//                            verifier and waits until AutoNAT has confirmed <ip>:4002
import { multiaddr } from "@multiformats/multiaddr";
import { createAroHost, type AroHost } from "../../workers/p2p/host.ts";
import { waitFor } from "./eventually.ts";

const [role, ip, verifier] = process.argv.slice(2);
const addrs = (h: AroHost) => h.getMultiaddrs().map((a) => a.toString());

if (role === "verifier" && ip) {
  const host = await createAroHost({ listen: [`/ip4/${ip}/tcp/4001`], announce: [`/ip4/${ip}/tcp/4001`] });
  console.log(JSON.stringify({ addr: addrs(host)[0] }));
  process.stdin.resume();
  process.stdin.on("end", () => void Promise.resolve(host.stop()).then(() => process.exit(0)));
} else if (role === "node" && ip && verifier) {
  const host = await createAroHost({ listen: ["/ip4/0.0.0.0/tcp/4002"] });
  try {
    const before = addrs(host);
    const t0 = Date.now();
    await host.dial(multiaddr(verifier));
    const publicAddr = `/ip4/${ip}/tcp/4002/p2p/${host.peerId}`;
    let after: string[] = [];
    try {
      await waitFor(`AutoNAT to confirm ${publicAddr}`, () => ((after = addrs(host)).includes(publicAddr) ? true : undefined), 40_000);
    } catch {
      // reported below: `after` lacks the address
    }
    console.log(JSON.stringify({ before, after, publicAddr, confirmedMs: Date.now() - t0 }));
  } finally {
    await host.stop();
  }
} else {
  throw new Error("usage: autonat-scenario.ts verifier <ip> | node <ip> <verifier multiaddr>");
}
