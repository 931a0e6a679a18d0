import assert from "node:assert/strict";
import { TxDecodeCache } from "./decode-cache.ts";
import { decodeTx } from "./decode.ts";
import { bankMsgs } from "../../modules/bank/msgs.ts";
import { newAccount } from "../../app/testnet/local-node.ts";
import { sendMsg, signTx } from "../../test/support/sign.ts";

const routes = new Map(bankMsgs.map((r) => [r.typeUrl, r]));

describe("tx: the decode cache (CheckTx, proposals, FinalizeBlock and rechecks decode a tx once)", () => {
  it("gives what decodeTx gives, the same object for the same bytes, and keeps at most its size", async () => {
    const a = await newAccount();
    const txs = await Promise.all([0n, 1n, 2n].map(async (sequence) =>
      (await signTx({ wallet: a.wallet, chainId: "c", accountNumber: 0n, sequence, messages: [sendMsg(a.address, a.address, [{ denom: "uaro", amount: "1" }])] })).bytes));
    const cache = new TxDecodeCache(routes, 2);
    const first = cache.decode(txs[0]);
    assert.deepEqual(first, decodeTx(txs[0], routes));
    assert.equal(cache.decode(Uint8Array.from(txs[0])), first, "equal bytes in another buffer hit");
    cache.decode(txs[1]);
    cache.decode(txs[0]); // the most recently used now
    cache.decode(txs[2]); // drops txs[1]
    assert.equal(cache.size, 2);
    assert.equal(cache.decode(txs[0]), first);
    assert.deepEqual([cache.hits, cache.misses], [3, 3], "hits and misses counted (metrics)");
  });

  it("keeps no failure: a bad tx is refused with decodeTx's error every time", () => {
    const cache = new TxDecodeCache(routes, 10);
    for (let i = 0; i < 2; i++) assert.throws(() => cache.decode(Uint8Array.of(1, 2, 3)), /cannot decode|tx/i);
    assert.equal(cache.size, 0);
    assert.deepEqual([cache.hits, cache.misses], [0, 2]);
  });
});
