import assert from "node:assert/strict";
import { CacheKV } from "../../chain/store/cache.ts";
import { EventManager } from "../../chain/events.ts";
import { HookRegistry } from "../../chain/hooks.ts";
import { GasKV, GasMeter } from "../../chain/gas.ts";
import { AppError } from "../../chain/errors.ts";
import type { Context, ExecMode } from "../../chain/module.ts";
import { decodeTx } from "../../chain/tx/decode.ts";
import { parseGasPrice } from "../../chain/tx/min-gas-price.ts";
import { SignatureCache } from "../../chain/tx/signature-cache.ts";
import { runAnte } from "./ante.ts";
import { authKeeper, moduleAddress, FEE_COLLECTOR } from "../auth/keeper.ts";
import { bankKeeper } from "../bank/keeper.ts";
import { bankMsgs } from "../bank/msgs.ts";
import { newAccount, type Funded } from "../../app/testnet/local-node.ts";
import { sendMsg, signTx, type SignOptions } from "../../test/support/sign.ts";

const routes = new Map(bankMsgs.map((r) => [r.typeUrl, r]));
const CHAIN = "ante-test";

describe("auth: ante handler", () => {
  let alice: Funded;
  let state: CacheKV;
  let sigCache: SignatureCache;

  before(async () => (alice = await newAccount()));
  beforeEach(() => {
    state = new CacheKV({ get: () => undefined, iterate: () => [] });
    authKeeper.setAccount(state, { address: alice.address, accountNumber: 4n, sequence: 2n });
    bankKeeper.setBalance(state, alice.address, "uaro", 1_000_000n);
    sigCache = new SignatureCache();
  });

  const ctx = (mode: ExecMode, gasLimit?: bigint): Context => {
    const gas = new GasMeter(gasLimit);
    return { store: new GasKV(state, gas), block: { height: 10n, timeSeconds: 0n, chainId: CHAIN }, events: new EventManager(), gas, mode, hooks: HookRegistry.empty };
  };
  const tx = async (over: Partial<SignOptions> = {}) =>
    decodeTx((await signTx({ wallet: alice.wallet, chainId: CHAIN, accountNumber: 4n, sequence: 2n, messages: [sendMsg(alice.address, alice.address, [{ denom: "uaro", amount: "1" }])], ...over })).bytes, routes);
  const code = (fn: () => void) => {
    try {
      fn();
      return "ok";
    } catch (e) {
      assert.ok(e instanceof AppError, String(e));
      return `${e.codespace}/${e.code}`;
    }
  };
  const opts = { minGasPrice: parseGasPrice("0.025uaro"), maxBlockGas: 10_000_000n, sigCache: new SignatureCache() };

  it("takes the fee, stores the public key, bumps the sequence and charges gas", async () => {
    const c = ctx("finalize", 200000n);
    runAnte(c, await tx(), { ...opts, sigCache });
    const a = authKeeper.getAccount(state, alice.address)!;
    assert.equal(a.sequence, 3n);
    assert.ok(a.pubKey && a.pubKey.length === 33);
    assert.equal(bankKeeper.getBalance(state, alice.address, "uaro"), 995_000n);
    assert.equal(bankKeeper.getBalance(state, moduleAddress(FEE_COLLECTOR), "uaro"), 5_000n);
    assert.ok(c.gas.consumed > 1000n);
    assert.deepEqual(c.events.events.filter((e) => e.type === "tx").map((e) => e.attributes[0].key), ["fee", "acc_seq", "signature"]);
  });

  it("refuses wrong sequence, low fee, over-block gas, unknown account and bad signatures", async () => {
    const wrongSeq = await tx({ sequence: 1n });
    assert.equal(code(() => runAnte(ctx("check"), wrongSeq, opts)), "sdk/32");
    const lowFee = await tx({ fee: [{ denom: "uaro", amount: "4999" }] });
    assert.equal(code(() => runAnte(ctx("check"), lowFee, opts)), "sdk/13");
    const bigGas = await tx({ gas: 20_000_000n, fee: [{ denom: "uaro", amount: "500000" }] });
    assert.equal(code(() => runAnte(ctx("check"), bigGas, opts)), "sdk/41");
    const wrongAccountNumber = await tx({ accountNumber: 5n });
    assert.equal(code(() => runAnte(ctx("check"), wrongAccountNumber, opts)), "sdk/4");
    const stranger = await newAccount();
    const unknown = decodeTx((await signTx({ wallet: stranger.wallet, chainId: CHAIN, accountNumber: 0n, sequence: 0n, messages: [sendMsg(stranger.address, alice.address, [{ denom: "uaro", amount: "1" }])] })).bytes, routes);
    assert.equal(code(() => runAnte(ctx("check"), unknown, opts)), "sdk/9");
    const outOfGas = await tx({ gas: 1000n, fee: [{ denom: "uaro", amount: "25" }] });
    assert.equal(code(() => runAnte(ctx("finalize", 1000n), outOfGas, opts)), "sdk/11");
    assert.equal(code(() => runAnte(ctx("finalize"), lowFee, opts)), "ok", "the minimum gas price is a CheckTx policy only");
  });

  it("verifies a signature once: CheckTx remembers it, FinalizeBlock uses and forgets it", async () => {
    const t = await tx();
    const cache = new SignatureCache();
    const checkState = new CacheKV(state);
    const c = ctx("check");
    runAnte({ ...c, store: new GasKV(checkState, c.gas) }, t, { ...opts, sigCache: cache });
    assert.equal(cache.size, 1);
    runAnte(ctx("finalize"), t, { ...opts, sigCache: cache });
    assert.equal(cache.size, 0);
  });

  it("simulation skips the signature but charges the same gas as the real run", async () => {
    const real = ctx("finalize");
    runAnte(real, await tx(), opts);
    state = new CacheKV({ get: () => undefined, iterate: () => [] });
    authKeeper.setAccount(state, { address: alice.address, accountNumber: 4n, sequence: 2n });
    bankKeeper.setBalance(state, alice.address, "uaro", 1_000_000n);
    const signed = await signTx({ wallet: alice.wallet, chainId: CHAIN, accountNumber: 4n, sequence: 2n, messages: [sendMsg(alice.address, alice.address, [{ denom: "uaro", amount: "1" }])], fee: [] });
    signed.raw.signatures[0] = new Uint8Array();
    const { TxRaw } = await import("cosmjs-types/cosmos/tx/v1beta1/tx");
    const sim = ctx("simulate");
    runAnte(sim, decodeTx(TxRaw.encode(signed.raw).finish(), routes, { simulate: true }), opts);
    const diff = Number(real.gas.consumed - sim.gas.consumed);
    assert.ok(Math.abs(diff) < 300, `simulated ${sim.gas.consumed} vs real ${real.gas.consumed}`);
  });
});
