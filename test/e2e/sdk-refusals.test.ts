import assert from "node:assert/strict";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { StargateClient } from "@cosmjs/stargate";
import { AuthInfo, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { MsgMultiSend, MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { MsgSetWithdrawAddress } from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import { QueryBalanceRequest, QueryBalanceResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { QueryDelegatorWithdrawAddressResponse } from "cosmjs-types/cosmos/distribution/v1beta1/query";
import type { Any } from "cosmjs-types/google/protobuf/any";
import { moduleAddress, toValoper } from "../../chain/address.ts";
import { waitForHeight } from "../../app/arod/cli/devnet.ts";
import { QueryRouter } from "../../chain/query-router.ts";
import { createModules } from "../../modules/index.ts";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { CHAIN_ID, LocalNode, type Funded } from "../../app/testnet/local-node.ts";
import { sendMsg, signTx, type SignOptions } from "../support/sign.ts";
import { concat, fields, lenField, varint, varintField } from "../support/wire.ts";
import { isBeaconTx } from "../../chain/beacon.ts";

/**
 * What the SDK refuses, refused the same way on a real node: sends to module accounts
 * (blocked addresses), non-canonical and unknown-field tx encodings (ADR-027, ADR-020),
 * a memo over the limit in UTF-8 bytes, and query request bytes that do not decode.
 * Then a seeded fuzz of txs and queries. The node checks every invariant after every
 * block and stops when one breaks (LocalNode's inv-check-period = 1, app/arod/node/run-node.ts),
 * so "the node still produces blocks" also says the books stayed sound.
 */

/** The SDK's blocked module accounts here; gov may receive (as in the SDK's simapp). */
const BLOCKED = [
  "fee_collector", "mint", "settlement", "bonded_tokens_pool", "not_bonded_tokens_pool", "distribution",
  "peernode_bonds", "peernode_rewards", "market_escrow", "watcher_stake", "watcher_rewards",
];
const FEE = 5000n;
const MNEMONICS = [
  "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
  "legal winner thank year wave sausage worth useful legal winner thank yellow",
  "letter advice cage absurd amount doctor acoustic avoid letter advice cage above",
  "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong",
];
async function account(mnemonic: string): Promise<Funded> {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: "aro" });
  return { wallet, address: (await wallet.getAccounts())[0].address, mnemonic };
}
const BANK_BALANCE = "/cosmos.bank.v1beta1.Query/Balance";

/** Small deterministic PRNG (mulberry32): the same seed gives the same fuzz run. */
function mulberry32(seed: number) {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return {
    next,
    int,
    pick: <T>(xs: readonly T[]): T => xs[int(xs.length)],
    bytes: (n: number): Uint8Array => Uint8Array.from({ length: n }, () => int(256)),
    chance: (p: number): boolean => next() < p,
  };
}
type Rng = ReturnType<typeof mulberry32>;

const equalBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/** Runs `fn` over `items` with at most `width` in flight. */
async function inBatches<T, R>(items: readonly T[], width: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  }));
  return out;
}

describe("e2e: what the SDK refuses (blocked module accounts, non-canonical and unknown-field txs, UTF-8 memo limit, undecodable queries), plus a seeded fuzz", function () {
  this.timeout(180_000);
  let node: LocalNode;
  let comet: Comet38Client;
  let client: StargateClient;
  let alice: Funded;
  let fuzzers: Funded[] = [];
  const bob = "aro1zafu84ty5hm5z740tyca2lwvnt8mreywl8pr7c";

  before(async () => {
    // fixed keys (BIP-39 test vectors): the same seed gives the same tx bytes, mutations and all, run after run
    [alice, ...fuzzers] = await Promise.all(MNEMONICS.map(account));
    node = await LocalNode.create({
      funded: [alice, ...fuzzers].map((a) => ({ address: a.address, coins: "1000000000uaro" })),
      comet: [["mempool", "cache_size", 0]], // let exact replays and repeats reach the app instead of CometBFT's cache
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

  const accountNumber = async (a: string) => BigInt((await client.getAccount(a))!.accountNumber);
  const sequence = async (a: string) => BigInt((await client.getSequence(a)).sequence);
  /** uaro of `address` at `height` (0: latest), read over abci_query. */
  async function balanceAt(address: string, height = 0): Promise<bigint> {
    const r = await comet.abciQuery({ path: BANK_BALANCE, data: QueryBalanceRequest.encode({ address, denom: "uaro" }).finish(), height: height || undefined });
    assert.equal(r.code, 0, r.log);
    return BigInt(QueryBalanceResponse.decode(r.value).balance?.amount ?? "0");
  }
  async function aliceTx(over: Partial<SignOptions>): Promise<Uint8Array> {
    const base: SignOptions = { wallet: alice.wallet, chainId: CHAIN_ID, accountNumber: await accountNumber(alice.address), sequence: await sequence(alice.address), messages: [] };
    return (await signTx({ ...base, ...over })).bytes;
  }
  /** The node has not stopped (a broken invariant stops it: fail with its log line). */
  function assertAlive() {
    const broken = node.output.split("\n").find((l) => /invariant broken/.test(l));
    assert.equal(broken, undefined, "an invariant broke");
    assert.equal(node.arod?.exitCode, null, `arod exited:\n${node.output.slice(-2000)}`);
  }
  /**
   * The node is alive and makes `more` blocks past `height`, each checked against every
   * invariant (a broken one stops the node: fail at once with its log line).
   */
  async function stillProducing(height: number, more = 2) {
    const deadline = Date.now() + 30_000;
    for (;;) {
      assertAlive();
      const now = await node.latestHeight().catch(() => 0);
      if (now >= height + more) return;
      assert.ok(Date.now() < deadline, `no block past ${now} (waiting for ${height + more})`);
      await waitForHeight(node.rpc, now + 1, 2_000).catch(() => undefined); // polls; the loop re-checks the process
    }
  }
  async function withdrawAddress(delegator: string): Promise<string> {
    const r = await comet.abciQuery({ path: "/cosmos.distribution.v1beta1.Query/DelegatorWithdrawAddress", data: lenField(1, new TextEncoder().encode(delegator)) });
    assert.equal(r.code, 0, r.log);
    return QueryDelegatorWithdrawAddressResponse.decode(r.value).withdrawAddress;
  }
  /** Transfers in a tx's events, as "sender>recipient:amount". */
  const transfers = (events: readonly { type: string; attributes: readonly { key: string; value: string }[] }[]) =>
    events.filter((e) => e.type === "transfer").map((e) => {
      const a = Object.fromEntries(e.attributes.map((x) => [x.key, x.value]));
      return `${a.sender}>${a.recipient}:${a.amount}`;
    });

  /**
   * Commits a tx that passes CheckTx and fails in its message handler with sdk/4 "not
   * allowed to receive funds": only the fee moved, from `alice` to the fee collector.
   */
  async function refusedAtDeliver(msgs: Any[], watched: string[], refused: string) {
    assertAlive();
    const tx = await aliceTx({ messages: msgs });
    const r = await comet.broadcastTxCommit({ tx });
    assert.equal(r.checkTx.code, 0, r.checkTx.log);
    const res = r.txResult!;
    assert.equal(res.code, 4, `expected sdk/4, got ${res.codespace}/${res.code}: ${res.log}`);
    assert.equal(res.codespace, "sdk");
    assert.match(res.log ?? "", new RegExp(`${refused} is not allowed to receive funds: unauthorized`));
    const h = r.height;
    const block = await comet.block(h);
    assert.equal(block.block.txs.filter((t) => !isBeaconTx(t)).length, 1, "the tx is alone in its block (beside the beacon)");
    assert.deepEqual(transfers(res.events), [`${alice.address}>${moduleAddress("fee_collector")}:${FEE}uaro`], "only the fee moved");
    assert.equal((await balanceAt(alice.address, h - 1)) - (await balanceAt(alice.address, h)), FEE, "the sender paid the fee, nothing more");
    for (const address of watched) {
      // distribution and settlement take inflation every block: their books are checked by the invariants instead
      if (address === moduleAddress("distribution") || address === moduleAddress("settlement")) continue;
      const want = address === moduleAddress("fee_collector") ? FEE : await balanceAt(address, h - 1);
      assert.equal(await balanceAt(address, h), want, `balance of ${address}`);
    }
    return h;
  }

  describe("sends to module accounts (blocked addresses): sdk/4 at DeliverTx, only the fee moves, the books stay sound", () => {
    it("every module declares the blocked accounts this test sends to", () => {
      assert.deepEqual(createModules().flatMap((m) => m.blockedAccounts ?? []).sort(), [...BLOCKED].sort());
    });

    for (const name of BLOCKED) {
      it(`MsgSend of 1uaro to ${name}`, async () => {
        const to = moduleAddress(name);
        const h = await refusedAtDeliver([sendMsg(alice.address, to, [{ denom: "uaro", amount: "1" }])], [to], to);
        await stillProducing(h);
      });
    }

    it("MsgMultiSend with one blocked output among good ones: the whole message fails, nothing moves", async () => {
      const to = moduleAddress("bonded_tokens_pool");
      const bobBefore = await balanceAt(bob);
      const multi: Any = {
        typeUrl: "/cosmos.bank.v1beta1.MsgMultiSend",
        value: MsgMultiSend.encode({
          inputs: [{ address: alice.address, coins: [{ denom: "uaro", amount: "3" }] }],
          outputs: [{ address: bob, coins: [{ denom: "uaro", amount: "1" }] }, { address: to, coins: [{ denom: "uaro", amount: "1" }] }, { address: bob, coins: [{ denom: "uaro", amount: "1" }] }],
        }).finish(),
      };
      const h = await refusedAtDeliver([multi], [to], to);
      assert.equal(await balanceAt(bob, h), bobBefore, "the good outputs got nothing either");
      await stillProducing(h);
    });

    it("MsgSetWithdrawAddress to each module account is refused; the withdraw address stays the delegator's", async () => {
      for (const name of BLOCKED) {
        const msg: Any = {
          typeUrl: "/cosmos.distribution.v1beta1.MsgSetWithdrawAddress",
          value: MsgSetWithdrawAddress.encode({ delegatorAddress: alice.address, withdrawAddress: moduleAddress(name) }).finish(),
        };
        await refusedAtDeliver([msg], [], moduleAddress(name));
      }
      assert.equal(await withdrawAddress(alice.address), alice.address);
      await stillProducing(await node.latestHeight());
    });

    it("the gov module account is not blocked (as in the SDK's simapp): a send to it and a withdraw address there succeed", async () => {
      const gov = moduleAddress("gov");
      const before = await balanceAt(gov);
      const r = await comet.broadcastTxCommit({ tx: await aliceTx({ messages: [sendMsg(alice.address, gov, [{ denom: "uaro", amount: "7" }])] }) });
      assert.equal(r.checkTx.code, 0, r.checkTx.log);
      assert.equal(r.txResult!.code, 0, r.txResult!.log);
      assert.equal(await balanceAt(gov, r.height), before + 7n);
      for (const to of [gov, alice.address]) {
        const msg: Any = { typeUrl: "/cosmos.distribution.v1beta1.MsgSetWithdrawAddress", value: MsgSetWithdrawAddress.encode({ delegatorAddress: alice.address, withdrawAddress: to }).finish() };
        const w = await comet.broadcastTxCommit({ tx: await aliceTx({ messages: [msg] }) });
        assert.equal(w.txResult!.code, 0, w.txResult!.log);
        assert.equal(await withdrawAddress(alice.address), to);
      }
      await stillProducing(r.height);
    });
  });

  describe("tx encodings (ADR-027 canonical TxRaw, ADR-020 unknown fields) and the UTF-8 memo limit, at CheckTx", () => {
    async function refusedAtCheck(tx: Uint8Array, code: number, log: RegExp) {
      const r = await comet.broadcastTxSync({ tx });
      assert.equal(r.code, code, `expected sdk/${code}, got ${r.codespace}/${r.code}: ${r.log}`);
      assert.equal(r.codespace, "sdk");
      assert.match(r.log ?? "", log);
    }

    it("each malleated encoding of a valid signed tx is refused with sdk/2; the canonical one is then accepted once", async () => {
      const seq = await sequence(alice.address);
      const tx = await aliceTx({ messages: [sendMsg(alice.address, bob, [{ denom: "uaro", amount: "11" }])] });
      const raw = TxRaw.decode(tx);
      const [body, auth, sig] = [raw.bodyBytes, raw.authInfoBytes, raw.signatures[0]];
      assert.deepEqual(concat(lenField(1, body), lenField(2, auth), lenField(3, sig)), tx, "the hand-made encoding is the canonical one");
      const malleations: Array<[string, Uint8Array]> = [
        ["an unknown field appended to TxRaw", concat(tx, varintField(4, 1))],
        ["an unknown length-delimited field in front", concat(lenField(9, Uint8Array.of(1)), tx)],
        ["a non-minimal length varint", concat(lenField(1, body, { lengthPad: 1 }), lenField(2, auth), lenField(3, sig))],
        ["a length encoded as 2^32 + L", concat(lenField(1, body, { lengthAdd: 1n << 32n }), lenField(2, auth), lenField(3, sig))],
        ["the body field twice", concat(lenField(1, body), lenField(1, body), lenField(2, auth), lenField(3, sig))],
        ["fields out of order", concat(lenField(2, auth), lenField(1, body), lenField(3, sig))],
        ["auth info tag 0x12 sent as 0x16 (wire type 6)", concat(lenField(1, body), lenField(2, auth, { wireType: 6 }), lenField(3, sig))],
      ];
      const bobBefore = await balanceAt(bob);
      for (const [what, bytes] of malleations) {
        assert.ok(!equalBytes(bytes, tx), what);
        const r = await comet.broadcastTxSync({ tx: bytes });
        assert.equal(r.code, 2, `${what} got ${r.codespace}/${r.code} (want sdk/2) ${r.log}`);
        assert.equal(r.codespace, "sdk", what);
        assert.match(r.log ?? "", /TxRaw is not canonically encoded|tx parse error/, what);
      }
      assert.equal(await sequence(alice.address), seq, "nothing was accepted");
      const ok = await comet.broadcastTxCommit({ tx });
      assert.equal(ok.checkTx.code, 0, ok.checkTx.log);
      assert.equal(ok.txResult!.code, 0, ok.txResult!.log);
      assert.equal(await balanceAt(bob, ok.height), bobBefore + 11n, "moved once");
      assert.equal(await sequence(alice.address), seq + 1n);
      await refusedAtCheck(tx, 32, /account sequence mismatch/); // and only once
    });

    it("a properly signed tx with an unknown field 10 in AuthInfo: sdk/2", async () => {
      const tx = await aliceTx({ messages: [sendMsg(alice.address, bob, [{ denom: "uaro", amount: "1" }])], editAuthInfoBytes: (a) => concat(a, varintField(10, 1)) });
      assert.ok(AuthInfo.decode(TxRaw.decode(tx).authInfoBytes).fee, "the rest of the auth info is intact");
      await refusedAtCheck(tx, 2, /cannot decode AuthInfo: field 10 .*not a field of this message/);
    });

    it("a properly signed tx with an unknown field 4 in MsgSend: sdk/2", async () => {
      const send = concat(MsgSend.encode({ fromAddress: alice.address, toAddress: bob, amount: [{ denom: "uaro", amount: "1" }] }).finish(), varintField(4, 7));
      const tx = await aliceTx({ messages: [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: send }] });
      await refusedAtCheck(tx, 2, /cannot decode \/cosmos\.bank\.v1beta1\.MsgSend: field 4/);
    });

    it("a properly signed tx with an unknown critical field 20 in TxBody: sdk/2; a non-critical one (1030) is accepted", async () => {
      const msg = sendMsg(alice.address, bob, [{ denom: "uaro", amount: "1" }]);
      await refusedAtCheck(await aliceTx({ messages: [msg], editBodyBytes: (b) => concat(b, varintField(20, 1)) }), 2, /cannot decode TxBody: field 20/);
      const ok = await comet.broadcastTxCommit({ tx: await aliceTx({ messages: [msg], editBodyBytes: (b) => concat(b, varintField(1030, 1)) }) });
      assert.equal(ok.checkTx.code, 0, ok.checkTx.log);
      assert.equal(ok.txResult!.code, 0, ok.txResult!.log);
    });

    it("properly signed txs with TxBody field 4 (unordered) or 5 (timeout_timestamp), from SDK v0.53, are refused with sdk/2", async () => {
      const msg = sendMsg(alice.address, bob, [{ denom: "uaro", amount: "1" }]);
      for (const [field, name] of [[varintField(4, 1), "unordered"], [varintField(4, 0), "unordered"], [lenField(5, varintField(1, 4_000_000_000)), "timeout_timestamp"]] as const) {
        await refusedAtCheck(await aliceTx({ messages: [msg], editBodyBytes: (b) => concat(b, field) }), 2, new RegExp(`cannot decode TxBody: field \\d \\(${name}\\) is not supported`));
      }
    });

    it("a memo of 100 × \"€\" (300 UTF-8 bytes > 256) is refused with sdk/12; 85 × \"€\" (255 bytes) is accepted", async () => {
      const msg = sendMsg(alice.address, bob, [{ denom: "uaro", amount: "1" }]);
      await refusedAtCheck(await aliceTx({ messages: [msg], memo: "€".repeat(100) }), 12, /maximum number of characters is 256 but received 300 characters/);
      const ok = await comet.broadcastTxCommit({ tx: await aliceTx({ messages: [msg], memo: "€".repeat(85) }) });
      assert.equal(ok.checkTx.code, 0, ok.checkTx.log);
      assert.equal(ok.txResult!.code, 0, ok.txResult!.log);
    });
  });

  describe("query request bytes that do not decode: sdk/18 invalid request, never sdk/1", () => {
    const paths = [
      "/cosmos.bank.v1beta1.Query/AllBalances", "/cosmos.bank.v1beta1.Query/Balance", "/cosmos.staking.v1beta1.Query/Validators",
      "/cosmos.gov.v1.Query/Proposals", "/cosmos.auth.v1beta1.Query/Account", "/cosmos.distribution.v1beta1.Query/DelegationRewards",
      "/aro.market.v1.Query/Contents", "/aro.peernode.v1.Query/Nodes", "/aro.watcher.v1.Query/Watchers", "/aro.settlement.v1.Query/Epoch",
      "/cosmos.tx.v1beta1.Service/Simulate", "/cosmos.tx.v1beta1.Service/GetTx",
    ];
    // field 15 is unknown to every request type above, so its bytes go through the decoder's skip
    const malformed: Array<[string, Uint8Array]> = [
      ["a truncated varint", Uint8Array.of(0x78, 0xff, 0xff)],
      ["a truncated tag", Uint8Array.of(0xff)],
      ["a length past the end", Uint8Array.of(0x7a, 0x64, 0x61, 0x62)],
      ["a length varint of 11 bytes", concat(Uint8Array.of(0x7a), new Uint8Array(10).fill(0xff), Uint8Array.of(0x01))],
      ["wire type 7", Uint8Array.of(0x7f, 0x01)],
      ["100000 nested groups", new Uint8Array(100_000).fill(0x7b)],
    ];
    const deep = [nested(100_000, 0x0a), nested(100_000, 0x12)];
    for (const path of paths) {
      it(path, async () => {
        for (const [what, data] of malformed) {
          const r = await comet.abciQuery({ path, data });
          assert.equal(r.code, 18, `${what} got ${r.codespace}/${r.code} (want sdk/18) ${r.log}`);
          assert.equal(r.codespace, "sdk", what);
          assert.match(r.log ?? "", /cannot decode the request/, what);
        }
        // 100000 nested length-delimited fields 1 or 2 (field 2 is the pagination of several list
        // queries): the request types do not recurse, so however a decoder reads it (a string, a
        // page key, an offset...), the answer is coded, never internal
        for (const data of deep) {
          const r = await comet.abciQuery({ path, data });
          assert.notEqual(r.code, 1, `nested fields: ${r.codespace}/${r.code}: ${r.log}`);
          if (r.code !== 0) assert.ok(r.codespace, `nested fields: ${r.code} without a codespace`);
        }
      });
    }
  });

  const SEED = 0x5eed_a40d;
  describe(`seeded fuzz (seed ${SEED.toString(16)}; FUZZ_VERBOSE=1 prints the answers)`, () => {

    it("mutated txs: none accepted, none internal; balances and sequences untouched; the node keeps running", async () => {
      const rng = mulberry32(SEED);
      const start = Date.now();
      // one seed tx per fuzz account, each valid at sequence 0 (checked at the end by committing them)
      const seeds: Array<{ name: string; who: Funded; opts: SignOptions; bytes: Uint8Array }> = [];
      const mk = async (name: string, who: Funded, messages: Any[], over: Partial<SignOptions> = {}) => {
        const opts: SignOptions = { wallet: who.wallet, chainId: CHAIN_ID, accountNumber: await accountNumber(who.address), sequence: 0n, messages, ...over };
        seeds.push({ name, who, opts, bytes: (await signTx(opts)).bytes });
      };
      const [f0, f1, f2] = fuzzers;
      await mk("send", f0, [sendMsg(f0.address, bob, [{ denom: "uaro", amount: "1000" }])]);
      await mk("multi", f1, [
        sendMsg(f1.address, bob, [{ denom: "uaro", amount: "1" }]),
        { typeUrl: "/cosmos.bank.v1beta1.MsgMultiSend", value: MsgMultiSend.encode({ inputs: [{ address: f1.address, coins: [{ denom: "uaro", amount: "5" }] }], outputs: [{ address: bob, coins: [{ denom: "uaro", amount: "2" }] }, { address: f0.address, coins: [{ denom: "uaro", amount: "3" }] }] }).finish() },
        { typeUrl: "/cosmos.distribution.v1beta1.MsgSetWithdrawAddress", value: MsgSetWithdrawAddress.encode({ delegatorAddress: f1.address, withdrawAddress: bob }).finish() },
      ]);
      await mk("memo", f2, [sendMsg(f2.address, f0.address, [{ denom: "uaro", amount: "9" }])], { memo: "fuzz seed € ✓ memo", timeoutHeight: 10_000_000n, gas: 300_000n, fee: [{ denom: "uaro", amount: "7500" }] });
      const originals = seeds.map((s) => s.bytes);
      const watched = [bob, ...fuzzers.map((f) => f.address), moduleAddress("bonded_tokens_pool"), moduleAddress("gov")];
      const before = await Promise.all(watched.map((a) => balanceAt(a)));

      const cases: Array<{ what: string; tx: Uint8Array; expect?: number[] }> = [];
      for (let i = 0; i < 3600; i++) {
        const seed = rng.pick(seeds);
        const m = mutateTx(rng, seed.bytes);
        cases.push(m);
      }
      // properly signed structural refusals: the signature is good, only the unknown field is wrong (sdk/2)
      for (let i = 0; i < 400; i++) {
        const seed = rng.pick(seeds);
        const kind = rng.int(3);
        const no = unknownFieldNo(rng, kind === 2 ? AUTH_KNOWN : kind === 0 ? BODY_KNOWN : MSG_KNOWN, kind !== 2);
        const field = randomField(rng, no, false);
        const opts: SignOptions =
          kind === 0 ? { ...seed.opts, editBodyBytes: (b) => insertField(rng, b, field) }
          : kind === 1 ? { ...seed.opts, messages: seed.opts.messages.map((m, j) => (j === 0 ? { typeUrl: m.typeUrl, value: insertField(rng, m.value, field) } : m)) }
          : { ...seed.opts, editAuthInfoBytes: (a) => rng.chance(0.5) ? insertField(rng, a, field) : insertNested(rng, a, field) };
        cases.push({ what: `signed unknown field ${no} in ${["body", "message", "auth info"][kind]}`, tx: (await signTx(opts)).bytes, expect: [2] });
      }

      const codes = new Map<string, number>();
      const failures: string[] = [];
      await inBatches(cases, 16, async (c) => {
        if (originals.some((o) => equalBytes(o, c.tx))) return;
        let r;
        try {
          r = await comet.broadcastTxSync({ tx: c.tx });
        } catch (err) {
          failures.push(`${c.what}: the RPC call failed: ${(err as Error).message} (tx ${hex(c.tx)})`);
          return;
        }
        const key = `${r.codespace ?? ""}/${r.code}`;
        codes.set(key, (codes.get(key) ?? 0) + 1);
        if (r.code === 0) failures.push(`${c.what}: ACCEPTED (tx ${hex(c.tx)})`);
        else if (r.code === 1 || !r.codespace) failures.push(`${c.what}: ${key} ${r.log} (tx ${hex(c.tx)})`);
        else if (c.expect && !c.expect.includes(r.code)) failures.push(`${c.what}: expected code ${c.expect}, got ${key} ${r.log} (tx ${hex(c.tx)})`);
      });
      if (process.env.FUZZ_VERBOSE) console.log(`      ${cases.length} mutated txs in ${Date.now() - start} ms; answers: ${[...codes].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k}×${n}`).join(" ")}`);
      assert.equal(failures.length, 0, `${failures.length} failures:\n${failures.slice(0, 20).join("\n")}`);

      // nothing moved and no sequence advanced, while blocks went on
      const after = await node.latestHeight();
      await stillProducing(after);
      assert.deepEqual(await Promise.all(watched.map((a) => balanceAt(a))), before, "balances unchanged");
      for (const f of fuzzers) assert.equal(await sequence(f.address), 0n, `sequence of ${f.address}`);
      // the seeds were valid all along: each is accepted now, once, and moves what it says
      for (const s of seeds) {
        const r = await comet.broadcastTxCommit({ tx: s.bytes });
        assert.equal(r.checkTx.code, 0, `${s.name}: ${r.checkTx.log}`);
        assert.equal(r.txResult!.code, 0, `${s.name}: ${r.txResult!.log}`);
        assert.equal(await sequence(s.who.address), 1n);
      }
      const moved = [1000n + 1n + 2n, -1000n - 5000n + 3n + 9n, -1n - 5n - 5000n, -9n - 7500n, 0n, 0n]; // bob, f0, f1, f2 (fees included), bonded pool, gov
      assert.deepEqual(await Promise.all(watched.map((a) => balanceAt(a))), before.map((b, i) => b + moved[i]));
      await stillProducing(await node.latestHeight());
    });

    it("fuzzed query data on every query path the app serves: never sdk/1, and the node keeps running", async () => {
      const rng = mulberry32(SEED ^ 0x9e37);
      const start = Date.now();
      const paths = new QueryRouter({} as never, createModules().flatMap((m) => m.queries ?? [])).paths;
      assert.ok(paths.length > 80 && paths.some((p) => p.startsWith("/aro.")), `${paths.length} paths`);
      const latest = await node.latestHeight();
      const ctx: FuzzContext = {
        addresses: [alice.address, bob, node.operator.address, moduleAddress("gov"), moduleAddress("bonded_tokens_pool")],
        valopers: [toValoper(node.operator.address), toValoper(alice.address)],
        tx: await aliceTx({ messages: [sendMsg(alice.address, bob, [{ denom: "uaro", amount: "1" }])], memo: "simulate me" }),
      };
      const queries: Array<{ path: string; data: Uint8Array; height?: number }> = [];
      for (const path of paths) {
        for (let i = 0; i < 11; i++) queries.push({ path, data: randomQueryData(rng, ctx), height: rng.chance(0.15) ? rng.pick([1, latest - 1, latest]) : undefined });
        queries.push({ path, data: new Uint8Array(20_000).fill(rng.pick([0x0b, 0x13, 0x7b])) }); // deep groups
      }
      // Simulate runs the tx decoder and ante handler in simulate mode: mutated txs as tx_bytes (2) and as a Tx (1)
      for (let i = 0; i < 200; i++) {
        const { tx } = mutateTx(rng, ctx.tx);
        queries.push({ path: "/cosmos.tx.v1beta1.Service/Simulate", data: lenField(rng.chance(0.5) ? 2 : 1, tx) });
      }
      const codes = new Map<string, number>();
      const failures: string[] = [];
      await inBatches(queries, 8, async (q) => {
        let r;
        try {
          r = await comet.abciQuery(q);
        } catch (err) {
          failures.push(`${q.path}: the RPC call failed: ${(err as Error).message} (data ${hex(q.data).slice(0, 400)})`);
          return;
        }
        const key = `${r.codespace ?? ""}/${r.code}`;
        codes.set(key, (codes.get(key) ?? 0) + 1);
        if (r.code === 1 || (r.code !== 0 && !r.codespace)) failures.push(`${q.path} at ${q.height ?? "latest"}: ${key} ${r.log} (data ${hex(q.data).slice(0, 400)})`);
      });
      if (process.env.FUZZ_VERBOSE) console.log(`      ${queries.length} fuzzed queries over ${paths.length} paths in ${Date.now() - start} ms; answers: ${[...codes].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k}×${n}`).join(" ")}`);
      assert.equal(failures.length, 0, `${failures.length} failures:\n${failures.slice(0, 20).join("\n")}`);
      await stillProducing(await node.latestHeight());
    });
  });
});

/** `depth` levels of `field N { field N { ... } }` (`tag`: 0x0a for field 1, 0x12 for field 2), built in one buffer. */
function nested(depth: number, tag: number): Uint8Array {
  const lengths = [0]; // lengths[k]: bytes inside the k-th level from the inside
  for (let k = 1; k < depth; k++) lengths.push(1 + varint(lengths[k - 1]).length + lengths[k - 1]);
  const out = new Uint8Array(1 + varint(lengths[depth - 1]).length + lengths[depth - 1]);
  let pos = 0;
  for (let k = depth - 1; k >= 0; k--) {
    out[pos++] = tag;
    const len = varint(lengths[k]);
    out.set(len, pos);
    pos += len.length;
  }
  return out;
}

// ---- tx mutations ----

const TXRAW_KNOWN = new Set([1, 2, 3]);
/** TxBody fields of the SDK the chain follows (v0.50): 4 and 5 (v0.53's unordered txs) are unknown to it. */
const BODY_KNOWN = new Set([1, 2, 3, 1023, 2047]);
const AUTH_KNOWN = new Set([1, 2, 3]);
/** Conservative for every message type in the seeds (MsgSend has 1-3). */
const MSG_KNOWN = new Set([1, 2, 3]);

/** A field number the type does not define; critical only (bit 1024 clear) when `critical`. */
function unknownFieldNo(rng: Rng, known: ReadonlySet<number>, critical: boolean): number {
  for (;;) {
    const no = rng.pick([() => 1 + rng.int(40), () => 1000 + rng.int(3200), () => 1 + rng.int((1 << 29) - 1)])();
    if (known.has(no)) continue;
    if (critical && (no & 1024) !== 0) continue;
    return no;
  }
}

/** A field with number `no` and a random wire type (0, 1, 2, 5, and groups when `groups`). */
function randomField(rng: Rng, no: number, groups: boolean): Uint8Array {
  const wt = rng.pick(groups ? [0, 1, 2, 5, 3] : [0, 1, 2, 5]);
  const tag = varint(BigInt(no) * 8n + BigInt(wt));
  switch (wt) {
    case 0: return concat(tag, varint(rng.pick([0n, 1n, 300n, (1n << 64n) - 1n, BigInt(rng.int(1 << 30))])));
    case 1: return concat(tag, rng.bytes(8));
    case 5: return concat(tag, rng.bytes(4));
    case 3: return concat(tag, varintField(1, 1), varint(BigInt(no) * 8n + 4n));
    default: { const payload = rng.bytes(rng.int(12)); return concat(tag, varint(payload.length), payload); }
  }
}

/** `field` inserted among the top-level fields of `msg` (first, last or between). */
function insertField(rng: Rng, msg: Uint8Array, field: Uint8Array): Uint8Array {
  const fs = fields(msg).map((f) => f.raw);
  fs.splice(rng.int(fs.length + 1), 0, field);
  return concat(...fs);
}

/** `field` put inside a message nested in auth info: a signer info, its mode info or public key, the fee or a fee coin. */
function insertNested(rng: Rng, auth: Uint8Array, field: Uint8Array): Uint8Array {
  const top = fields(auth);
  const where = rng.int(5);
  return concat(...top.map((f) => {
    if (where <= 2 && f.no === 1) {
      // signer info: 1 public key (Any), 2 mode info, 3 sequence
      if (where === 0) return lenField(1, concat(f.payload!, field));
      const inner = fields(f.payload!).map((g) => {
        if (where === 1 && g.no === 2) return lenField(2, concat(g.payload!, field));
        if (where === 2 && g.no === 1) {
          // the public key's Any: 1 type URL, 2 value (PubKey: 1 key)
          return lenField(1, concat(...fields(g.payload!).map((h) => (h.no === 2 ? lenField(2, concat(h.payload!, field)) : h.raw))));
        }
        return g.raw;
      });
      return lenField(1, concat(...inner));
    }
    if (where >= 3 && f.no === 2) {
      // fee: 1 amount (Coin), 2 gas limit
      if (where === 3) return lenField(2, concat(f.payload!, field));
      return lenField(2, concat(...fields(f.payload!).map((g) => (g.no === 1 ? lenField(1, concat(g.payload!, field)) : g.raw))));
    }
    return f.raw;
  }));
}

const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** One mutation of a signed tx; `expect` lists the codes it must get when they are known. */
function mutateTx(rng: Rng, tx: Uint8Array): { what: string; tx: Uint8Array; expect?: number[] } {
  const raw = TxRaw.decode(tx);
  const [body, auth, sig] = [raw.bodyBytes, raw.authInfoBytes, raw.signatures[0]];
  const rebuild = (b: Uint8Array, a: Uint8Array, s: Uint8Array[]) => TxRaw.encode({ bodyBytes: b, authInfoBytes: a, signatures: s }).finish();
  const top = fields(tx);
  const kind = rng.int(22);
  switch (kind) {
    case 0: { // byte flips
      const out = Uint8Array.from(tx);
      for (let n = 1 + rng.int(3); n > 0; n--) out[rng.int(out.length)] ^= 1 + rng.int(255);
      return { what: "byte flips", tx: out };
    }
    case 1: { // insertions
      const at = rng.int(tx.length + 1);
      return { what: "inserted bytes", tx: concat(tx.subarray(0, at), rng.bytes(1 + rng.int(4)), tx.subarray(at)) };
    }
    case 2: { // deletions
      const at = rng.int(tx.length);
      return { what: "deleted bytes", tx: concat(tx.subarray(0, at), tx.subarray(at + 1 + rng.int(4))) };
    }
    case 3: return { what: "truncated", tx: tx.subarray(0, 1 + rng.int(tx.length - 1)) };
    case 4: { // a slice repeated
      const a = rng.int(tx.length), b = a + 1 + rng.int(Math.min(32, tx.length - a));
      return { what: "repeated slice", tx: concat(tx.subarray(0, b), tx.subarray(a, b), tx.subarray(b)) };
    }
    case 5: return { what: "unknown TxRaw field", tx: insertField(rng, tx, randomField(rng, unknownFieldNo(rng, TXRAW_KNOWN, false), true)), expect: [2] };
    case 6: { // a TxRaw field twice (signatures twice is two signatures: canonical, but one too many)
      const i = rng.int(top.length);
      const fs = top.map((f) => f.raw);
      fs.splice(i, 0, top[i].raw);
      return { what: `TxRaw field ${top[i].no} twice`, tx: concat(...fs), expect: top[i].no === 3 ? [4] : [2] };
    }
    case 7: { // TxRaw fields reordered
      const order = [[1, 0, 2], [0, 2, 1], [2, 1, 0], [2, 0, 1], [1, 2, 0]][rng.int(5)];
      return { what: `TxRaw fields in order ${order}`, tx: concat(...order.map((i) => top[i].raw)), expect: [2] };
    }
    case 8: { // non-minimal tag or length varint in TxRaw
      const i = rng.int(3);
      const payload = [body, auth, sig][i];
      const pad = 1 + rng.int(4);
      const f = rng.chance(0.5)
        ? lenField(i + 1, payload, { lengthPad: pad })
        : concat(varint(((i + 1) << 3) | 2, pad), varint(payload.length), payload);
      return { what: "non-minimal TxRaw varint", tx: concat(...top.map((t, j) => (j === i ? f : t.raw))), expect: [2] };
    }
    case 9: { // a length as 2^32+L (or 2^35+L): a 32-bit reader sees L
      const i = rng.int(3);
      const f = lenField(i + 1, [body, auth, sig][i], { lengthAdd: rng.chance(0.5) ? 1n << 32n : 1n << 35n });
      return { what: "oversized length", tx: concat(...top.map((t, j) => (j === i ? f : t.raw))), expect: [2] };
    }
    case 10: { // wrong wire type on a TxRaw tag
      const i = rng.int(3);
      const wt = rng.pick([0, 1, 3, 4, 5, 6, 7]);
      const f = concat(Uint8Array.of(((i + 1) << 3) | wt), top[i].raw.subarray(1));
      return { what: `TxRaw field ${i + 1} with wire type ${wt}`, tx: concat(...top.map((t, j) => (j === i ? f : t.raw))), expect: [2] };
    }
    case 11: { // unknown field in the (signed) body: critical → decode error; non-critical → bad signature
      const critical = rng.chance(0.6);
      const no = unknownFieldNo(rng, BODY_KNOWN, critical);
      return { what: `unsigned unknown body field ${no}`, tx: rebuild(insertField(rng, body, randomField(rng, no, critical)), auth, [sig]), expect: (no & 1024) === 0 ? [2] : [2, 4] };
    }
    case 12: { // unknown field in a message
      const b = TxBody.decode(body);
      const k = rng.int(b.messages.length);
      const critical = rng.chance(0.6);
      const no = unknownFieldNo(rng, MSG_KNOWN, critical);
      const msgs = b.messages.map((m, j) => (j === k ? { typeUrl: m.typeUrl, value: insertField(rng, m.value, randomField(rng, no, false)) } : m));
      return { what: `unsigned unknown field ${no} in message ${k}`, tx: rebuild(TxBody.encode({ ...b, messages: msgs }).finish(), auth, [sig]), expect: (no & 1024) === 0 ? [2] : [4] };
    }
    case 13: { // unknown field in auth info, top level or nested: always refused as a decode error
      const no = unknownFieldNo(rng, AUTH_KNOWN, false);
      const f = randomField(rng, no, false);
      return { what: `unsigned unknown auth info field ${no}`, tx: rebuild(body, rng.chance(0.5) ? insertField(rng, auth, f) : insertNested(rng, auth, f), [sig]), expect: [2] };
    }
    case 14: { // body or auth info fields duplicated or reordered (signed bytes changed: at best a bad signature)
      const which = rng.int(2);
      const fs = fields(which === 0 ? body : auth).map((f) => f.raw);
      if (rng.chance(0.5) || fs.length < 2) fs.splice(rng.int(fs.length), 0, fs[rng.int(fs.length)]);
      else fs.reverse();
      const m = concat(...fs);
      return { what: `${which === 0 ? "body" : "auth info"} fields duplicated or reordered`, tx: which === 0 ? rebuild(m, auth, [sig]) : rebuild(body, m, [sig]) };
    }
    case 15: { // non-minimal varint inside body or auth info
      const which = rng.int(2);
      const src = which === 0 ? body : auth;
      const fs = fields(src);
      const i = rng.int(fs.length);
      const f = fs[i];
      const padded = f.payload ? lenField(f.no, f.payload, { lengthPad: 1 + rng.int(3) }) : concat(varint(f.no << 3, 1 + rng.int(3)), f.raw.subarray(varint(f.no << 3).length));
      const m = concat(...fs.map((g, j) => (j === i ? padded : g.raw)));
      return { what: "non-minimal varint in body/auth info", tx: which === 0 ? rebuild(m, auth, [sig]) : rebuild(body, m, [sig]) };
    }
    case 16: { // wrong wire type inside body or auth info
      const which = rng.int(2);
      const src = which === 0 ? body : auth;
      const fs = fields(src);
      const i = rng.int(fs.length);
      const wt = rng.pick([0, 1, 3, 4, 5, 6, 7]);
      const tagLen = varint((fs[i].no << 3) | 2).length;
      const f = concat(varint((fs[i].no << 3) | wt), fs[i].raw.subarray(tagLen));
      const m = concat(...fs.map((g, j) => (j === i ? f : g.raw)));
      return { what: `wire type ${wt} in ${which === 0 ? "body" : "auth info"}`, tx: which === 0 ? rebuild(m, auth, [sig]) : rebuild(body, m, [sig]) };
    }
    case 17: { // the high-S twin of the signature: as valid mathematically, refused (low-S only)
      const r = sig.subarray(0, 32);
      const s = BigInt("0x" + hex(sig.subarray(32)));
      const twin = Buffer.from((SECP256K1_N - s).toString(16).padStart(64, "0"), "hex");
      return { what: "high-S signature twin", tx: rebuild(body, auth, [concat(r, twin)]), expect: [4] };
    }
    case 18: { // signature bit flips
      const s = Uint8Array.from(sig);
      for (let n = 1 + rng.int(2); n > 0; n--) s[rng.int(s.length)] ^= 1 << rng.int(8);
      return { what: "signature bit flips", tx: rebuild(body, auth, [s]), expect: [4] };
    }
    case 19: { // signature of the wrong length, none, or two
      const v = rng.int(4);
      const sigs = [[sig.subarray(0, 63)], [concat(sig, Uint8Array.of(0))], [], [sig, sig]][v];
      return { what: ["63-byte signature", "65-byte signature", "no signature", "two signatures"][v], tx: rebuild(body, auth, sigs), expect: v === 2 ? [15] : [4] };
    }
    case 20: { // body or auth info bytes emptied or swapped
      const v = rng.int(3);
      const [b, a] = [[new Uint8Array(), auth], [body, new Uint8Array()], [auth, body]][v];
      return { what: ["empty body", "empty auth info", "body and auth info swapped"][v], tx: rebuild(b, a, [sig]), expect: [2] };
    }
    default: { // a random message type URL
      const b = TxBody.decode(body);
      const urls = ["/cosmos.bank.v1beta1.MsgMultiSend", "/cosmos.staking.v1beta1.MsgDelegate", "/cosmos.gov.v1.MsgSubmitProposal", "/aro.market.v1.MsgDeposit", "/cosmos.nope.Msg", ""];
      const msgs = b.messages.map((m, j) => (j === 0 ? { typeUrl: rng.pick(urls), value: m.value } : m));
      return { what: "message type URL changed", tx: rebuild(TxBody.encode({ ...b, messages: msgs }).finish(), auth, [sig]) };
    }
  }
}

// ---- query data ----

interface FuzzContext {
  readonly addresses: string[];
  readonly valopers: string[];
  readonly tx: Uint8Array;
}

const utf8 = (s: string) => new TextEncoder().encode(s);

/** A random string value: addresses (good, of the wrong kind, broken), denoms, numbers, hashes, junk. */
function randomString(rng: Rng, ctx: FuzzContext): Uint8Array {
  const v = rng.int(14);
  switch (v) {
    case 0: case 1: return utf8(rng.pick(ctx.addresses));
    case 2: return utf8(rng.pick(ctx.valopers));
    case 3: { const a = rng.pick(ctx.addresses); return utf8(a.slice(0, -1) + (a.endsWith("q") ? "p" : "q")); } // bad checksum
    case 4: return utf8(rng.pick(["uaro", "stake", "", "UARO", "u", "x".repeat(200), "ibc/" + "A".repeat(64), "uaro\u0000"]));
    case 5: return utf8(rng.pick(["0", "1", "-1", "18446744073709551616", "1e99", "NaN", "0x10", " 1", "1.5"]));
    case 6: return utf8("A".repeat(64)); // a tx hash shape
    case 7: return rng.bytes(rng.int(40)); // not UTF-8 as often as not
    case 8: return utf8("aro1" + "q".repeat(rng.int(80)));
    case 9: return utf8("arovalcons1" + "q".repeat(38));
    case 10: return utf8("x".repeat(rng.pick([1000, 10_000])));
    case 11: return utf8(rng.pick(["\u{1F4A9}", "é", "\uFFFD", "../../", "%00", "*"]));
    case 12: return ctx.tx;
    default: return new Uint8Array();
  }
}

/** A random varint value, edges included. */
function randomVarint(rng: Rng): bigint {
  return rng.pick([0n, 1n, 2n, 3n, 100n, 1001n, (1n << 31n) - 1n, 1n << 31n, (1n << 32n) + 1n, (1n << 53n) + 1n, (1n << 63n) - 1n, 1n << 63n, (1n << 64n) - 1n, BigInt(rng.int(1 << 30))]);
}

/** A page request (key, offset, limit, count total, reverse), often with odd values. */
function randomPage(rng: Rng): Uint8Array {
  const parts: Uint8Array[] = [];
  if (rng.chance(0.4)) parts.push(lenField(1, rng.chance(0.5) ? utf8("aro1" + "q".repeat(rng.int(50))) : rng.bytes(rng.int(20))));
  if (rng.chance(0.4)) parts.push(varintField(2, randomVarint(rng)));
  if (rng.chance(0.5)) parts.push(varintField(3, randomVarint(rng)));
  if (rng.chance(0.3)) parts.push(varintField(4, rng.int(3)));
  if (rng.chance(0.3)) parts.push(varintField(5, rng.int(3)));
  return concat(...parts);
}

/** A random message: fields 1-6 with random wire types and values, sometimes nested. */
function randomMessage(rng: Rng, ctx: FuzzContext, depth = 0): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let n = rng.int(5); n > 0; n--) {
    const no = 1 + rng.int(6);
    const v = rng.int(10);
    if (v < 4) parts.push(lenField(no, randomString(rng, ctx)));
    else if (v < 7) parts.push(varintField(no, randomVarint(rng)));
    else if (v < 9) parts.push(lenField(no, depth < 3 && rng.chance(0.5) ? randomMessage(rng, ctx, depth + 1) : randomPage(rng)));
    else parts.push(concat(varint((no << 3) | rng.pick([1, 5])), rng.bytes(rng.pick([4, 8]))));
  }
  return concat(...parts);
}

/** Query request bytes: random messages (of any request type's shape), broken ones and noise. */
function randomQueryData(rng: Rng, ctx: FuzzContext): Uint8Array {
  const v = rng.int(8);
  if (v === 0) return rng.bytes(rng.int(64));
  const m = randomMessage(rng, ctx);
  if (v === 1 && m.length > 1) return m.subarray(0, rng.int(m.length)); // truncated
  if (v === 2 && m.length > 0) { // flipped
    const out = Uint8Array.from(m);
    out[rng.int(out.length)] ^= 1 + rng.int(255);
    return out;
  }
  if (v === 3) return concat(m, randomField(rng, 1 + rng.int(1 << 20), true)); // an extra field, maybe a group
  if (v === 4) return concat(lenField(rng.pick([1, 2, 3]), randomPage(rng)), m); // pagination-shaped first field
  return m;
}
