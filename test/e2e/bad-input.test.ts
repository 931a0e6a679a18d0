import assert from "node:assert/strict";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { StargateClient } from "@cosmjs/stargate";
import { fromBech32, toBech32 } from "@cosmjs/encoding";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { CHAIN_ID, LocalNode, newAccount, type Funded } from "../../app/testnet/local-node.ts";
import { sendMsg, signTx, type SignOptions } from "../support/sign.ts";

describe("e2e: bad input is refused with Cosmos codes, moves no funds, and the node keeps running", function () {
  let node: LocalNode;
  let comet: Comet38Client;
  let client: StargateClient;
  let alice: Funded;
  let poor: Funded;
  const bob = "aro1zafu84ty5hm5z740tyca2lwvnt8mreywl8pr7c";

  before(async () => {
    alice = await newAccount();
    poor = await newAccount();
    node = await LocalNode.create({
      funded: [{ address: alice.address, coins: "1000000000uaro" }, { address: poor.address, coins: "10uaro" }],
      comet: [["mempool", "cache_size", 0]], // let exact replays reach the app instead of CometBFT's cache
    });
    await node.start();
    comet = await Comet38Client.connect(node.rpc);
    client = await StargateClient.connect(node.rpc);
  });
  after(async () => {
    comet?.disconnect();
    client?.disconnect();
    await node?.cleanup();
  });

  const balances = async () => ({
    alice: (await client.getBalance(alice.address, "uaro")).amount,
    bob: (await client.getBalance(bob, "uaro")).amount,
    poor: (await client.getBalance(poor.address, "uaro")).amount,
  });
  const base = (over: Partial<SignOptions> = {}): SignOptions => ({
    wallet: alice.wallet, chainId: CHAIN_ID, accountNumber: 0n, sequence: 0n,
    messages: [sendMsg(alice.address, bob, [{ denom: "uaro", amount: "100" }])], ...over,
  });

  /** Broadcasts bytes and expects CheckTx to refuse them with codespace/code, with no state change. */
  async function refused(bytes: Uint8Array, codespace: string, code: number, logPart: RegExp) {
    const before = await balances();
    const r = await comet.broadcastTxSync({ tx: bytes });
    assert.equal(r.code, code, `expected ${codespace}/${code}, got ${r.codespace}/${r.code}: ${r.log}`);
    assert.equal(r.codespace, codespace);
    assert.match(r.log ?? "", logPart);
    assert.deepEqual(await balances(), before);
  }

  it("malformed bytes: sdk/2", async () => {
    await refused(Uint8Array.of(1, 2, 3, 255, 0), "sdk", 2, /tx parse error/);
    await refused(TxRaw.encode({ bodyBytes: Uint8Array.of(0xff, 0xff), authInfoBytes: Uint8Array.of(1), signatures: [] }).finish(), "sdk", 2, /cannot decode TxBody/);
  });

  it("unknown message type URL: sdk/2", async () => {
    const { bytes } = await signTx(base({ messages: [{ typeUrl: "/cosmos.nope.v1.MsgNope", value: new Uint8Array() }] }));
    await refused(bytes, "sdk", 2, /unable to resolve type URL \/cosmos\.nope\.v1\.MsgNope/);
  });

  it("bad signature: sdk/4", async () => {
    const { raw } = await signTx(base());
    raw.signatures[0][5] ^= 0xff;
    await refused(TxRaw.encode(raw).finish(), "sdk", 4, /signature verification failed/);
  });

  it("signature by another key for the signer's address: sdk/8 (pubkey mismatch)", async () => {
    const { bytes } = await signTx(base({ wallet: poor.wallet }));
    await refused(bytes, "sdk", 8, /pubKey does not match signer address/);
  });

  it("wrong chain id: sdk/4 naming the chain id", async () => {
    const { bytes } = await signTx(base({ chainId: "another-chain" }));
    await refused(bytes, "sdk", 4, new RegExp(`chain-id \\(${CHAIN_ID}\\)`));
  });

  it("out-of-order sequence: sdk/32", async () => {
    const { bytes } = await signTx(base({ sequence: 5n }));
    await refused(bytes, "sdk", 32, /account sequence mismatch, expected 0, got 5/);
  });

  it("replayed tx (same bytes, and same sequence with new bytes): sdk/32", async () => {
    const { bytes } = await signTx(base());
    const ok = await comet.broadcastTxCommit({ tx: bytes });
    assert.equal(ok.checkTx.code, 0, ok.checkTx.log);
    assert.equal(ok.txResult!.code, 0, ok.txResult!.log);
    await refused(bytes, "sdk", 32, /expected 1, got 0/);
    const { bytes: again } = await signTx(base({ memo: "different bytes, same sequence" }));
    await refused(again, "sdk", 32, /expected 1, got 0/);
  });

  it("fee below the node's minimum gas price: sdk/13", async () => {
    const { bytes } = await signTx(base({ sequence: 1n, fee: [{ denom: "uaro", amount: "10" }], gas: 200000n }));
    await refused(bytes, "sdk", 13, /got: 10uaro required: 5000uaro/);
  });

  it("cannot pay the fee: sdk/5", async () => {
    const { bytes } = await signTx(base({ wallet: poor.wallet, accountNumber: 1n, messages: [sendMsg(poor.address, bob, [{ denom: "uaro", amount: "1" }])] }));
    await refused(bytes, "sdk", 5, /insufficient funds to pay fee/);
  });

  it("zero, negative and overflowing amounts: sdk/10", async () => {
    for (const [amount, log] of [["0", /is not positive/], ["-5", /not a non-negative integer/], [(1n << 256n).toString(), /overflows 256 bits/]] as const) {
      const { bytes } = await signTx(base({ sequence: 1n, messages: [sendMsg(alice.address, bob, [{ denom: "uaro", amount }])] }));
      await refused(bytes, "sdk", 10, log);
    }
  });

  it("invalid bech32 addresses: sdk/7", async () => {
    for (const [to, log] of [
      ["aro1invalid", /invalid to address/],
      [toBech32("cosmos", fromBech32(bob).data), /expected prefix "aro"/],
      ["", /to address is empty/],
    ] as const) {
      const { bytes } = await signTx(base({ sequence: 1n, messages: [sendMsg(alice.address, to, [{ denom: "uaro", amount: "1" }])] }));
      await refused(bytes, "sdk", 7, log);
    }
  });

  it("oversize tx: sdk/21; memo over the limit: sdk/12; zero gas: sdk/41; passed timeout height: sdk/30", async () => {
    const big = await signTx(base({ sequence: 1n, memo: "x".repeat(300 * 1024) }));
    await refused(big.bytes, "sdk", 21, /the limit is 262144/);
    const memo = await signTx(base({ sequence: 1n, memo: "m".repeat(257) }));
    await refused(memo.bytes, "sdk", 12, /maximum number of characters is 256/);
    const gas = await signTx(base({ sequence: 1n, gas: 0n }));
    await refused(gas.bytes, "sdk", 41, /gas limit must be positive/);
    const late = await signTx(base({ sequence: 1n, timeoutHeight: 1n }));
    await refused(late.bytes, "sdk", 30, /timeout height: 1/);
  });

  it("insufficient funds for the transfer: included with sdk/5; only the fee moves", async () => {
    const before = await balances();
    const { bytes } = await signTx(base({ sequence: 1n, messages: [sendMsg(alice.address, bob, [{ denom: "uaro", amount: "999999999999" }])] }));
    const r = await comet.broadcastTxCommit({ tx: bytes });
    assert.equal(r.checkTx.code, 0);
    assert.equal(r.txResult!.code, 5, r.txResult!.log);
    assert.equal(r.txResult!.codespace, "sdk");
    assert.match(r.txResult!.log ?? "", /spendable balance \d+uaro is smaller than 999999999999uaro/);
    const after = await balances();
    assert.equal(after.bob, before.bob);
    assert.equal(BigInt(before.alice) - BigInt(after.alice), 5000n, "only the fee was taken");
    assert.equal((await client.getSequence(alice.address)).sequence, 2, "the sequence advanced: the tx cannot be replayed");
  });

  it("the node kept running through all of it", async () => {
    const h = await node.latestHeight();
    await new Promise((r) => setTimeout(r, 1000));
    assert.ok((await node.latestHeight()) > h);
    assert.equal(node.arod?.exitCode, null);
  });
});
