import assert from "node:assert/strict";
import { CacheKV } from "../../chain/store/cache.ts";
import { EventManager } from "../../chain/events.ts";
import { HookRegistry } from "../../chain/hooks.ts";
import { GasKV, GasMeter } from "../../chain/gas.ts";
import { AppError } from "../../chain/errors.ts";
import type { Context, ExecMode } from "../../chain/module.ts";
import { decodeTx } from "../../chain/tx/decode.ts";
import { SignatureCache } from "../../chain/tx/signature-cache.ts";
import { runAnte } from "./ante.ts";
import { authKeeper } from "../auth/keeper.ts";
import { bankKeeper } from "../bank/keeper.ts";
import { bankMsgs } from "../bank/msgs.ts";
import { newAccount, type Funded } from "../../app/testnet/local-node.ts";
import { signAminoTx, type AminoSignOptions } from "../../test/support/sign-amino.ts";
import { sendMsg, signTx } from "../../test/support/sign.ts";

const routes = new Map(bankMsgs.map((r) => [r.typeUrl, r]));
const CHAIN = "ante-amino-test";

describe("auth: ante handler, SIGN_MODE_LEGACY_AMINO_JSON (Ledger)", () => {
  let alice: Funded;
  let state: CacheKV;

  before(async () => (alice = await newAccount()));
  beforeEach(() => {
    state = new CacheKV({ get: () => undefined, iterate: () => [] });
    authKeeper.setAccount(state, { address: alice.address, accountNumber: 4n, sequence: 2n });
    bankKeeper.setBalance(state, alice.address, "uaro", 1_000_000n);
  });

  const ctx = (mode: ExecMode): Context => {
    const gas = new GasMeter(undefined);
    return { store: new GasKV(state, gas), block: { height: 10n, timeSeconds: 0n, chainId: CHAIN }, events: new EventManager(), gas, mode, hooks: HookRegistry.empty };
  };
  const send = { typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: "", toAddress: "", amount: [{ denom: "uaro", amount: "1" }] } };
  const tx = async (over: Partial<AminoSignOptions> = {}) => {
    const messages = [{ ...send, value: { ...send.value, fromAddress: alice.address, toAddress: alice.address } }];
    return decodeTx((await signAminoTx({ mnemonic: alice.mnemonic, chainId: CHAIN, accountNumber: 4n, sequence: 2n, messages, memo: "hi", ...over })).bytes, routes);
  };
  const code = (fn: () => unknown) => {
    try {
      fn();
      return "ok";
    } catch (e) {
      assert.ok(e instanceof AppError, String(e));
      return `${e.codespace}/${e.code}`;
    }
  };
  const opts = () => ({ sigCache: new SignatureCache() });

  it("verifies a signature over the StdSignDoc, bumps the sequence and caches it like a direct one", async () => {
    const t = await tx({ timeoutHeight: 50n });
    assert.equal(t.signers[0].mode, "amino-json");
    const o = opts();
    runAnte(ctx("check"), t, o);
    assert.equal(o.sigCache.size, 1);
    assert.equal(authKeeper.getAccount(state, alice.address)!.sequence, 3n);
  });

  it("refuses a signature over another memo, sequence, account number or chain id (sdk/4)", async () => {
    for (const forged of [{ signedMemo: "other" }, { signedSequence: 3n }, { accountNumber: 5n }, { chainId: "other-chain" }]) {
      const t = await tx(forged);
      assert.equal(code(() => runAnte(ctx("check"), t, opts())), "sdk/4", Object.keys(forged)[0]);
      assert.equal(authKeeper.getAccount(state, alice.address)!.sequence, 2n);
    }
  });

  it("refuses body fields the signature does not cover, even non-critical ones a direct signature covers (sdk/2)", async () => {
    const nonCritical = Uint8Array.of(0xb8, 0x40, 0x01); // field 1031 (ADR-020 non-critical), varint 1
    const editBodyBytes = (b: Uint8Array) => Uint8Array.from([...b, ...nonCritical]);
    const direct = await signTx({ wallet: alice.wallet, chainId: CHAIN, accountNumber: 4n, sequence: 2n, messages: [sendMsg(alice.address, alice.address, [{ denom: "uaro", amount: "1" }])], editBodyBytes });
    assert.equal(code(() => runAnte(ctx("check"), decodeTx(direct.bytes, routes), opts())), "ok");
    await assert.rejects(tx({ editBodyBytes }), (e: unknown) => e instanceof AppError && e.codespace === "sdk" && e.code === 2);
  });
});
