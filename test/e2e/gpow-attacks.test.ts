import assert from "node:assert/strict";
import { generateKeyPair } from "@libp2p/crypto/keys";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import { DirectSecp256k1Wallet } from "@cosmjs/proto-signing";
import { QueryClient, SigningStargateClient, coin, type DeliverTxResponse } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { randomBytes } from "node:crypto";
import { aroRegistry, setupAroExtension } from "../../client/index.ts";
import { ClaimStatus, type Receipt } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import { NatType, Service } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { MsgRegisterNodeResponse } from "../../proto/gen/aro/peernode/v1/tx.ts";
import { EpochPhase } from "../../proto/gen/aro/settlement/v1/settlement.ts";
import { EpochClaim } from "../../workers/gpow/epoch-claim.ts";
import { ReceiptSigner } from "../../client/receipts/receipt-signer.ts";
import { eventually } from "../support/eventually.ts";
import { LocalNode, newAccount, type Funded } from "../../app/testnet/local-node.ts";

const FEE = { amount: [coin(100000, "uaro")], gas: "4000000" };
const FEE_UARO = 100_000n;
const GB = 1_000_000_000n;
const TB = 1000n * GB;
const BOND = 10_000_000n;
const EPOCH = 20n;
// room for four claim txs in a row on a busy machine (blocks every 200 ms)
const CLAIM_WINDOW = 12n;

/**
 * The attacks of "GPoW that cannot be gamed (1 of 2)" played by a dishonest operator on a
 * real chain through CosmJS, with the default economics (burn share, prove probability,
 * always_prove_bytes, prices); only the windows are short so a test takes minutes, not hours.
 * The attacker owns nodes a1 (it cheats) and a2 (its idle twin: same bond, same availability).
 */
describe("e2e: GPoW attacks — self-dealt delivery, charging a victim, withdrawing ahead of the charge — none pays", function () {
  this.timeout(300_000);
  let node: LocalNode;
  let attacker: Funded;
  let honestOwner: Funded;
  let q: ReturnType<typeof QueryClient.withExtensions<ReturnType<typeof setupAroExtension>>>;
  let comet: Comet38Client;
  const clients = new Map<string, SigningStargateClient>();
  const signers = new Map<string, ReceiptSigner>();
  const keys = new Map<string, Uint8Array>();
  const ids = { a1: 0n, a2: 0n, a3: 0n, h: 0n };
  let epoch = 0n;

  const height = async () => BigInt((await comet.status()).syncInfo.latestBlockHeight);
  const waitHeight = async (h: bigint) => {
    while ((await height()) < h) await new Promise((r) => setTimeout(r, 150));
  };
  const ok = (r: DeliverTxResponse) => (assert.equal(r.code, 0, r.rawLog), r);
  const send = (who: string, typeUrl: string, value: object) => clients.get(who)!.signAndBroadcast(who, [{ typeUrl, value }], FEE);
  const escrow = async (who: string) => (await q.aro.market.Escrow({ owner: who })).escrow!;

  /** A customer account with a key that also signs receipts. */
  async function customer(name: string): Promise<string> {
    const key = new Uint8Array(randomBytes(32));
    const signer = await ReceiptSigner.fromPrivateKey(key);
    keys.set(name, key);
    signers.set(name, signer);
    return signer.address;
  }

  before(async () => {
    attacker = await newAccount();
    honestOwner = await newAccount();
    const names = ["selfPaying", "selfEmpty", "victim", "runner"];
    const addresses = await Promise.all(names.map(customer));
    node = await LocalNode.create({
      funded: [attacker, honestOwner].map((a) => ({ address: a.address, coins: "100000000000uaro" })).concat(addresses.map((address) => ({ address, coins: "100000000000uaro" }))),
      editGenesis: (g) => {
        const s = g.app_state;
        // no watchers on this chain: nodes are taken as fully up, so the twins' availability can be compared
        Object.assign(s.settlement.params, { epochLength: EPOCH.toString(), unreportedUptimePermille: 1000 });
        Object.assign(s.gpow.params, { claimWindow: CLAIM_WINDOW.toString(), proofWindow: "6", storageWindow: "10" });
        Object.assign(s.watcher.params, { attestWindow: "6" });
        Object.assign(s.peernode.params, { minBond: "1000000" });
      },
    });
    await node.start();
    const opts = { registry: aroRegistry(), broadcastPollIntervalMs: 200 };
    comet = await Comet38Client.connect(node.rpc);
    q = QueryClient.withExtensions(comet, setupAroExtension);
    for (const a of [attacker, honestOwner]) clients.set(a.address, await SigningStargateClient.connectWithSigner(node.rpc, a.wallet, opts));
    for (const name of names) {
      const addr = signers.get(name)!.address;
      clients.set(addr, await SigningStargateClient.connectWithSigner(node.rpc, await DirectSecp256k1Wallet.fromKey(keys.get(name)!, "aro"), opts));
    }
  });
  after(async () => {
    for (const c of clients.values()) c.disconnect();
    comet?.disconnect();
    await node?.cleanup();
  });

  it("sets the stage: an honest node and three of the attacker's (owner and operator keys apart), escrows of 1000 aro, 1 uaro and a victim's", async () => {
    const register = async (owner: Funded) => {
      const operator = await newAccount(); // a separate operator key, as the attacker used
      const r = ok(await send(owner.address, "/aro.peernode.v1.MsgRegisterNode", {
        owner: owner.address, operator: operator.address, peerId: peerIdFromPrivateKey(await generateKeyPair("Ed25519")).toString(),
        multiaddrs: ["/ip4/127.0.0.1/tcp/4001"], endpoints: [], region: "europe",
        resources: { bandwidthMbps: 100n, storageGb: 100n, cpuMillicores: 1000n, memoryMb: 1024n, gpus: 0 }, natType: NatType.NAT_TYPE_PUBLIC,
        services: [Service.SERVICE_CDN], commission: "0.05", bond: coin(BOND.toString(), "uaro"),
      }));
      return MsgRegisterNodeResponse.decode(r.msgResponses[0].value).nodeId;
    };
    ids.h = await register(honestOwner);
    ids.a1 = await register(attacker);
    ids.a2 = await register(attacker);
    ids.a3 = await register(attacker);
    for (const [name, amount] of [["selfPaying", 1_000_000_000n], ["selfEmpty", 1n], ["victim", 1_000_000_000n], ["runner", 1_000_000_000n]] as const) {
      const who = signers.get(name)!.address;
      ok(await send(who, "/aro.market.v1.MsgDepositEscrow", { owner: who, amount: coin(amount.toString(), "uaro") }));
    }
    // the work happens in the next full epoch
    epoch = (await height()) / EPOCH + 1n;
    await waitHeight(epoch * EPOCH + 1n);
  });

  const claims: Record<string, EpochClaim> = {};
  const sign = async (name: string, nodeId: bigint, bytes: bigint, nonce: bigint): Promise<Receipt> =>
    signers.get(name)!.sign({ nodeId, contentId: "ab".repeat(32), rangeStart: 0n, rangeEnd: bytes, epoch, nonce });

  it("during the epoch: receipts are signed; the withdrawal raced against the charge waits for the claim window", async () => {
    // A: the attacker's clients sign for its own node — 1 TB from an escrow of 1 uaro, 2 GB from one that pays
    claims.a1 = new EpochClaim([await sign("selfEmpty", ids.a1, TB, 1n), await sign("selfPaying", ids.a1, 2n * GB, 2n)]);
    // an honest delivery whose customer then tries to withdraw everything before the node can claim
    claims.h = new EpochClaim([await sign("runner", ids.h, 3n * GB, 1n)]);
    const runner = signers.get("runner")!.address;
    const w = ok(await send(runner, "/aro.market.v1.MsgWithdrawEscrow", { owner: runner, amount: coin("1000000000", "uaro") }));
    const e = await escrow(runner);
    assert.deepEqual([e.balance, e.withdrawing], ["0", "1000000000"], "queued, still chargeable");
    assert.ok(BigInt(w.height) <= (epoch + 1n) * EPOCH);
  });

  it("claims: the self-dealt one is taken (the chain cannot tell), a victim listed without its signature is refused, with a forged tally too", async () => {
    await waitHeight((epoch + 1n) * EPOCH + 1n);
    ok(await send(attacker.address, "/aro.gpow.v1.MsgSubmitClaim", claims.a1.claim(attacker.address, ids.a1, epoch)));
    ok(await send(honestOwner.address, "/aro.gpow.v1.MsgSubmitClaim", claims.h.claim(honestOwner.address, ids.h, epoch)));
    const victim = signers.get("victim")!.address;
    // B: 500 GB to the victim, who signed nothing for node a3: listed with no tally …
    const own = await sign("selfPaying", ids.a3, 500n * GB, 3n);
    const listed = new EpochClaim([{ ...own, client: victim }]).claim(attacker.address, ids.a3, epoch);
    const noTally = await send(attacker.address, "/aro.gpow.v1.MsgSubmitClaim", { ...listed, clientTotals: listed.clientTotals.map((t) => ({ ...t, tally: undefined })) });
    assert.equal(noTally.code, 5, noTally.rawLog);
    assert.match(noTally.rawLog ?? "", /has no tally/);
    // … or with a receipt the attacker signed and relabelled as the victim's
    const forged = await send(attacker.address, "/aro.gpow.v1.MsgSubmitClaim", listed);
    assert.notEqual(forged.code, 0);
    assert.match(forged.rawLog ?? "", /client_pubkey does not belong to client/);
    assert.equal((await escrow(victim)).held, "0");
    assert.equal((await q.aro.gpow.Claim({ nodeId: ids.a3, epoch }).catch(() => undefined))?.claim, undefined);
    // what the runner owes was held from the escrow it is withdrawing
    assert.equal((await escrow(signers.get("runner")!.address)).held, "3000", "3 GB at 1000 uaro/GB held before the withdrawal unlocked");
  });

  it("proofs where asked (default prove_probability), then settlement: the attacker earns less than it spent; the victim paid nothing; the honest node is paid", async () => {
    const claimEnd = (epoch + 1n) * EPOCH + CLAIM_WINDOW;
    await waitHeight(claimEnd + 1n);
    for (const [operator, id, tree] of [[attacker.address, ids.a1, claims.a1], [honestOwner.address, ids.h, claims.h]] as const) {
      // both claims are over always_prove_bytes: wait for the proof seed (the app may not have committed its block yet)
      const c = await eventually(async () => {
        const claim = (await q.aro.gpow.Claim({ nodeId: id, epoch })).claim!;
        assert.ok(claim.openOffsets.length > 0, "no proof asked for yet");
        return claim;
      }, 30_000, 100);
      {
        ok(await clients.get(operator)!.signAndBroadcast(operator, c.openOffsets.map((offset) => ({ typeUrl: "/aro.gpow.v1.MsgSubmitProof", value: { operator, nodeId: id, epoch, offset, ...tree.proof(offset) } })), FEE));
      }
    }
    await eventually(async () => assert.equal((await q.aro.settlement.Epoch({ epoch })).settlement!.phase, EpochPhase.EPOCH_PHASE_SETTLED), 120_000, 300);
    const a1Claim = (await q.aro.gpow.Claim({ nodeId: ids.a1, epoch })).claim!;
    assert.equal(a1Claim.status, ClaimStatus.CLAIM_STATUS_ACCEPTED);
    const [x1, x2, xh] = await Promise.all([ids.a1, ids.a2, ids.h].map((nodeId) => q.aro.settlement.Explain({ nodeId, epoch })));
    for (const x of [x1, x2, xh]) assert.equal(x.recomputedReward, x.record!.reward, x.formula);
    // A: 1 TB from an escrow of 1 uaro pays 1 uaro and counts for what 1 uaro buys; 2 GB paid 2000
    const paid = BigInt((await escrow(signers.get("selfPaying")!.address)).paid) + BigInt((await escrow(signers.get("selfEmpty")!.address)).paid);
    assert.equal(paid, 2001n);
    assert.ok(x1.record!.work!.deliveredBytes < 2n * GB + 2n * 1_000_000n, `credited ${x1.record!.work!.deliveredBytes} bytes for 2001 uaro`);
    assert.equal(x1.record!.availabilityReward, x2.record!.availabilityReward, "usage buys no availability");
    const gain = BigInt(x1.record!.reward) - BigInt(x2.record!.reward);
    const burn = decimal((await q.aro.settlement.Params({})).params!.burnShare);
    assert.equal(gain, paid - (paid * burn) / 10n ** 18n, x1.formula);
    const fees = 2n * FEE_UARO; // claim and (maybe) proofs of the attacker's operator
    assert.ok(gain - paid - fees < 0n, `the attacker's profit ${gain - paid - fees}`);
    // B: the victim was never charged
    const v = await escrow(signers.get("victim")!.address);
    assert.deepEqual([v.paid, v.held, v.balance], ["0", "0", "1000000000"]);
    // the honest node was paid by the runner, whose withdrawal came too late to dodge it
    const runner = await escrow(signers.get("runner")!.address);
    assert.equal(runner.paid, "3000");
    assert.ok(BigInt(xh.record!.usageIncome) > 0n && BigInt(xh.record!.reward) > BigInt(xh.record!.usageIncome), xh.formula);
    await eventually(async () => assert.equal((await escrow(signers.get("runner")!.address)).withdrawing, "0"), 30_000, 300);
    assert.equal((await escrow(signers.get("runner")!.address)).withdrawn, "999997000", "the rest was paid out once unlocked");
  });
});

const decimal = (s: string) => BigInt(s.replace(".", ""));
