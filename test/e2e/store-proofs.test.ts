import assert from "node:assert/strict";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { ics23, iavlSpec, tendermintSpec, verifyExistence, verifyNonExistence } from "@confio/ics23";
import { waitForHeight } from "../../app/arod/cli/devnet.ts";
import { LocalNode, newAccount, type Funded } from "../../app/testnet/local-node.ts";

const enc = (s: string) => new TextEncoder().encode(s);

describe("e2e: verifiable queries — abci_query prove=true answers ICS23 proofs that check against a CometBFT header", function () {
  let node: LocalNode;
  let comet: Comet38Client;
  let alice: Funded;

  before(async () => {
    alice = await newAccount();
    node = await LocalNode.create({ funded: [{ address: alice.address, coins: "1000000000uaro" }] });
    await node.start();
    comet = await Comet38Client.connect(node.rpc);
  });
  after(async () => {
    comet?.disconnect();
    await node?.cleanup();
  });

  /** Queries `/store/<store>/key` with prove and checks the answer the way a light client does, against the app hash in the header of height + 1. */
  async function provenQuery(store: string, key: string): Promise<Uint8Array | undefined> {
    const r = await comet.abciQuery({ path: `/store/${store}/key`, data: enc(key), prove: true });
    assert.equal(r.code, 0, r.log);
    const ops = r.proof!.ops;
    assert.deepEqual(ops.map((o) => o.type), ["ics23:iavl", "ics23:simple"]);
    assert.equal(Buffer.from(ops[1].key).toString(), store);
    const sub = ics23.CommitmentProof.decode(ops[0].data);
    const storeProof = ics23.CommitmentProof.decode(ops[1].data);
    const storeRoot = storeProof.exist!.value!;
    await waitForHeight(node.rpc, r.height! + 1);
    const header = (await comet.commit(r.height! + 1)).header;
    verifyExistence(storeProof.exist!, tendermintSpec, header.appHash, enc(store), storeRoot);
    if (r.value.length === 0) {
      verifyNonExistence(sub.nonexist!, iavlSpec, storeRoot, enc(key));
      return undefined;
    }
    verifyExistence(sub.exist!, iavlSpec, storeRoot, enc(key), r.value);
    // and a tampered value does not check
    assert.throws(() => verifyExistence(sub.exist!, iavlSpec, storeRoot, enc(key), enc("1")));
    return r.value;
  }

  it("a bank balance exists, with its value, under the app hash of the next header", async () => {
    const v = await provenQuery("bank", `balances/${alice.address}/uaro`);
    assert.equal(new TextDecoder().decode(v), "1000000000");
  });

  it("an account with no balance is proven absent", async () => {
    const bob = await newAccount();
    assert.equal(await provenQuery("bank", `balances/${bob.address}/uaro`), undefined);
  });

  it("an Aro record (peernode's params) exists under the same kind of proof", async () => {
    assert.ok(await provenQuery("peernode", "params"));
  });

  it("a store that does not exist, or a pruned height, is refused with the SDK's codes", async () => {
    const r = await comet.abciQuery({ path: "/store/nosuch/key", data: enc("x"), prove: true });
    assert.equal(r.code, 6, r.log); // sdk/6 unknown request
    const old = await comet.abciQuery({ path: "/store/bank/key", data: enc("params"), prove: true, height: 10_000_000 });
    assert.equal(old.code, 26, old.log); // sdk/26 invalid height
  });
});
