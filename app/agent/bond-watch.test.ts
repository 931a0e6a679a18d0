import assert from "node:assert/strict";
import type { Logger } from "pino";
import { NodeStatus, type Node } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { BondWatch } from "./bond-watch.ts";

const node = (status: NodeStatus, guaranteeTokens: string) => ({ id: 7n, status, guaranteeTokens }) as Node;

describe("agent: the node's bond, watched on chain", () => {
  it("warns once when the node falls under min_bond (with the top-up command), says when it is back, and reports it in /status", async () => {
    const lines: Array<[string, string]> = [];
    const log = { warn: (_o: object, m: string) => lines.push(["warn", m]), info: (_o: object, m: string) => lines.push(["info", m]) } as unknown as Logger;
    let onChain = node(NodeStatus.NODE_STATUS_ACTIVE, "2000000");
    let reads = 0;
    const watch = new BondWatch(onChain, async () => (reads++, onChain), log, 10n);
    assert.equal(watch.state, "bonded");
    assert.deepEqual(lines, []);
    onChain = node(NodeStatus.NODE_STATUS_UNDERBONDED, "900000");
    await watch.tick(100n);
    assert.equal(watch.state, "underbonded");
    assert.equal(lines.length, 1);
    assert.match(lines[0][1], /below the chain's min_bond.*add-guarantee 7 AMOUNT/);
    await watch.tick(105n); // within 10 blocks: not read again
    await watch.tick(110n); // read, unchanged: no second warning
    assert.deepEqual([reads, lines.length], [2, 1]);
    onChain = node(NodeStatus.NODE_STATUS_ACTIVE, "1100000");
    await watch.tick(120n);
    assert.equal(watch.state, "bonded");
    assert.deepEqual(lines[1], ["info", "the node's guarantee is back at min_bond: it is assigned work again"]);
  });

  it("an agent that starts with its node already underbonded warns at once", () => {
    const lines: string[] = [];
    const log = { warn: (_o: object, m: string) => lines.push(m), info: () => undefined } as unknown as Logger;
    const watch = new BondWatch(node(NodeStatus.NODE_STATUS_UNDERBONDED, "10"), async () => undefined, log);
    assert.equal(watch.state, "underbonded");
    assert.equal(lines.length, 1);
  });
});
