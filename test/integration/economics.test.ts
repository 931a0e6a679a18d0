import assert from "node:assert/strict";
import { generateKeyPair } from "@libp2p/crypto/keys";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import { NatType, Service } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { MsgRegisterNodeResponse } from "../../proto/gen/aro/peernode/v1/tx.ts";
import { QueryNodeRequest, QueryNodeResponse } from "../../proto/gen/aro/peernode/v1/query.ts";
import { MsgSubmitJobResponse } from "../../proto/gen/aro/gpow/v1/tx.ts";
import { resultCommitment } from "../../protocol/result-commitment.ts";
import { QueryClaimRequest, QueryClaimResponse, QueryJobRequest, QueryJobResponse } from "../../proto/gen/aro/gpow/v1/query.ts";
import { QueryEscrowRequest, QueryEscrowResponse } from "../../proto/gen/aro/market/v1/query.ts";
import { QueryEpochRequest, QueryEpochResponse, QueryExplainRequest, QueryExplainResponse } from "../../proto/gen/aro/settlement/v1/query.ts";
import { EpochPhase } from "../../proto/gen/aro/settlement/v1/settlement.ts";
import { ClaimStatus, type Receipt } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import { EpochClaim } from "../../workers/gpow/epoch-claim.ts";
import { AppHarness, HarnessAccount } from "../support/app-harness.ts";

const GB = 1_000_000_000n;
const EPOCH = 10n;
const BOND = 10_000_000n;
const uaro = (n: bigint) => ({ denom: "uaro", amount: n.toString() });

/**
 * Self-dealing strategies played on the real app (every module, real settlement), one
 * chain per point of a parameter grid. The attacker owns nodes a1 (cheats), a2 (its idle
 * twin: same bond, same availability) and a3, and the client accounts ac (pays) and ac0
 * (an escrow of 1 uaro). An honest owner runs hN for an independent customer hc.
 * Profit of a strategy = what a1 earned beyond its idle twin − what the attacker's
 * clients paid − the fees of the attacker's txs. It must be negative everywhere.
 */
async function play(burn: string, prove: string, inflation: string) {
  const [h, hc, a, ac, ac0] = ["honest-owner", "honest-customer", "attacker", "attacker-client", "attacker-client-0"].map((s) => new HarnessAccount(`${s}-${burn}-${prove}-${inflation}`));
  const app = await AppHarness.create([h, hc, a, ac, ac0], "100000000000uaro", (g) => {
    // no watchers here: every node is taken as fully up, so availability is equal for equal bonds
    Object.assign(g.settlement.params, { epochLength: EPOCH.toString(), burnShare: burn, inflationShare: inflation, unreportedUptimePermille: 1000 });
    Object.assign(g.gpow.params, { claimWindow: "3", proofWindow: "3", alwaysProveBytes: (1n << 60n).toString(), proveProbability: prove, storageWindow: "5", commitWindow: "2", revealWindow: "2", maxJobInstructions: (10n ** 12n).toString() });
    Object.assign(g.watcher.params, { attestWindow: "3" });
    Object.assign(g.peernode.params, { minBond: "1000000" });
  });
  try {
    const register = async (owner: HarnessAccount, services = [Service.SERVICE_CDN]) => {
      const peerId = peerIdFromPrivateKey(await generateKeyPair("Ed25519")).toString();
      await app.send(owner, [{
        typeUrl: "/aro.peernode.v1.MsgRegisterNode",
        value: {
          owner: owner.address, operator: owner.address, peerId, multiaddrs: ["/ip4/127.0.0.1/tcp/4001"], endpoints: [], region: "europe",
          resources: { bandwidthMbps: 100n, storageGb: 100n, cpuMillicores: 1000n, memoryMb: 1024n, gpus: 0 }, natType: NatType.NAT_TYPE_PUBLIC,
          services, commission: "0.05", bond: uaro(BOND),
        },
      }]);
    };
    // a1 and a3 also run jobs: the only HVM nodes, so the attacker's client's job lands on them
    await register(h);
    await register(a, [Service.SERVICE_CDN, Service.SERVICE_HVM]);
    await register(a);
    await register(a, [Service.SERVICE_CDN, Service.SERVICE_HVM]);
    await register(a);
    for (const [who, amount] of [[hc, 1_000_000_000n], [ac, 1_000_000_000n], [ac0, 1n]] as const) {
      await app.send(who, [{ typeUrl: "/aro.market.v1.MsgDepositEscrow", value: { owner: who.address, amount: uaro(amount) } }]);
    }
    const first = await app.block();
    assert.ok(first.every((r) => r.code === 0), first.map((r) => r.log).join("\n"));
    const [hN, a1, a2, a3, a4] = first.slice(0, 5).map((r) => MsgRegisterNodeResponse.decode(r.responses[0].value).nodeId);
    const escrowPaid = async (who: HarnessAccount) => BigInt((await app.query("/aro.market.v1.Query/Escrow", QueryEscrowRequest, QueryEscrowResponse, { owner: who.address })).escrow!.paid);

    // epoch 1: the deliveries, signed off chain
    const epoch = 1n;
    await app.until(epoch * EPOCH);
    // compute: the attacker's client pays for a job on the attacker's nodes, which reveal the most units the limit allows
    const UNITS = 1_000_000_000_000n;
    await app.send(ac, [{
      typeUrl: "/aro.gpow.v1.MsgSubmitJob",
      value: { owner: ac.address, wasmCid: "bafywasm", inputCid: "bafyinput", limits: { maxInstructions: UNITS, maxMemoryBytes: 1n << 24n, maxOutputBytes: 1024n }, redundancy: 2, maxPayment: uaro(1_000_000n) },
    }]);
    const [submitted] = await app.block();
    assert.equal(submitted.code, 0, submitted.log);
    const { jobId, nodes } = MsgSubmitJobResponse.decode(submitted.responses[0].value);
    assert.deepEqual([...nodes].sort(), [a1, a3].sort(), "the job lands on the attacker's HVM nodes");
    await app.send(a, nodes.map((nodeId) => ({ typeUrl: "/aro.gpow.v1.MsgCommitResult", value: { operator: a.address, nodeId, jobId, commitment: resultCommitment("bafyout", UNITS, "salt") } })));
    assert.ok((await app.block()).every((r) => r.code === 0));
    await app.until(app.height + 2n);
    await app.send(a, nodes.map((nodeId) => ({ typeUrl: "/aro.gpow.v1.MsgRevealResult", value: { operator: a.address, nodeId, jobId, outputCid: "bafyout", computeUnits: UNITS, salt: "salt" } })));
    assert.ok((await app.block()).every((r) => r.code === 0));
    const [hcKey, acKey, ac0Key] = await Promise.all([hc.receiptSigner(), ac.receiptSigner(), ac0.receiptSigner()]);
    const receipts = async (signer: typeof hcKey, node: bigint, count: number, bytes: bigint, from = 1n): Promise<Receipt[]> => {
      const out: Receipt[] = [];
      for (let i = 0; i < count; i++) out.push(await signer.sign({ nodeId: node, contentId: "ab".repeat(32), rangeStart: 0n, rangeEnd: bytes, epoch, nonce: from + BigInt(i) }));
      return out;
    };
    const honest = new EpochClaim(await receipts(hcKey, hN, 4, GB));
    // self-dealing: the attacker's paying client and its empty one, to its own node
    const selfDealt = new EpochClaim([...(await receipts(acKey, a1, 3, 2n * GB)), ...(await receipts(ac0Key, a1, 1, GB, 9n))]);
    // charging a victim: the honest customer listed with a tally it never signed
    const forged = { ...(await receipts(acKey, a3, 1, 50n * GB, 20n))[0] };
    const victim = new EpochClaim([{ ...forged, client: hc.address }]);
    // a node that claims and never proves (what it risks when drawn)
    const skipped = new EpochClaim(await receipts(acKey, a4, 2, GB, 30n));
    await app.until((epoch + 1n) * EPOCH);

    await app.send(h, [{ typeUrl: "/aro.gpow.v1.MsgSubmitClaim", value: honest.claim(h.address, hN, epoch) }]);
    await app.send(a, [{ typeUrl: "/aro.gpow.v1.MsgSubmitClaim", value: selfDealt.claim(a.address, a1, epoch) }]);
    await app.send(a, [{ typeUrl: "/aro.gpow.v1.MsgSubmitClaim", value: victim.claim(a.address, a3, epoch) }]);
    await app.send(a, [{ typeUrl: "/aro.gpow.v1.MsgSubmitClaim", value: skipped.claim(a.address, a4, epoch) }]);
    const claims = await app.block();
    assert.equal(claims[0].code, 0, claims[0].log);
    assert.equal(claims[1].code, 0, claims[1].log);
    assert.equal(claims[3].code, 0, claims[3].log);
    assert.notEqual(claims[2].code, 0, "a claim listing a client with a tally it never signed is refused");
    assert.match(claims[2].log, /client_pubkey does not belong to client|signature/);

    // proofs: both nodes answer whatever the seed asks (their receipts are real signatures)
    await app.until((epoch + 1n) * EPOCH + 3n);
    await app.block();
    for (const [owner, node, tree] of [[h, hN, honest], [a, a1, selfDealt]] as const) {
      const c = (await app.query("/aro.gpow.v1.Query/Claim", QueryClaimRequest, QueryClaimResponse, { nodeId: node, epoch })).claim!;
      if (c.openOffsets.length) {
        await app.send(owner, c.openOffsets.map((offset) => ({ typeUrl: "/aro.gpow.v1.MsgSubmitProof", value: { operator: owner.address, nodeId: node, epoch, offset, ...tree.proof(offset) } })));
      }
    }
    const proofs = await app.block();
    assert.ok(proofs.every((r) => r.code === 0), proofs.map((r) => r.log).join("\n"));
    for (let i = 0; i < 200; i++) {
      const s = (await app.query("/aro.settlement.v1.Query/Epoch", QueryEpochRequest, QueryEpochResponse, { epoch })).settlement!;
      if (s.phase === EpochPhase.EPOCH_PHASE_SETTLED) break;
      await app.block();
    }
    const explain = (node: bigint) => app.query("/aro.settlement.v1.Query/Explain", QueryExplainRequest, QueryExplainResponse, { nodeId: node, epoch });
    const [eh, e1, e2, e3, e4] = await Promise.all([explain(hN), explain(a1), explain(a2), explain(a3), explain(a4)]);
    for (const e of [eh, e1, e2, e3, e4]) assert.equal(e.recomputedReward, e.record!.reward, e.formula);
    // the skipper: drawn for a proof (p) it is slashed at least W(1-p)/p; not drawn, it was paid by its own client
    const skip = (await app.query("/aro.gpow.v1.Query/Claim", QueryClaimRequest, QueryClaimResponse, { nodeId: a4, epoch })).claim!;
    const a4Bond = BigInt((await app.query("/aro.peernode.v1.Query/Node", QueryNodeRequest, QueryNodeResponse, { nodeId: a4 })).node!.guaranteeTokens);
    const worth = skip.clientTotals.reduce((t, c) => t + BigInt(c.held), 0n);
    const p = BigInt(prove.replace(".", ""));
    if (skip.status === ClaimStatus.CLAIM_STATUS_VOID) assert.ok(BOND - a4Bond >= (worth * (10n ** 18n - p)) / p && BOND - a4Bond >= BOND / 20n, `slashed ${BOND - a4Bond} for a claim worth ${worth}`);
    else assert.equal(a4Bond, BOND);
    const jobPaid = BigInt((await app.query("/aro.gpow.v1.Query/Job", QueryJobRequest, QueryJobResponse, { jobId })).job!.paid);
    assert.equal(jobPaid, 1_000_000n, "the job paid its max_payment, not 10^12 units");
    assert.equal((await app.query("/aro.gpow.v1.Query/Claim", QueryClaimRequest, QueryClaimResponse, { nodeId: a1, epoch })).claim!.status, ClaimStatus.CLAIM_STATUS_ACCEPTED);
    assert.deepEqual(app.broken(), [], "invariants hold");
    const twin = BigInt(e2.record!.reward);
    return {
      honestReward: BigInt(eh.record!.reward), honestUsage: BigInt(eh.record!.usageIncome),
      cheaterAvailability: [e1, e3, e4].map((e) => BigInt(e.record!.availabilityReward)), twinAvailability: BigInt(e2.record!.availabilityReward),
      // what the attacker's nodes earned beyond what the idle twin earns by just being there
      gain: [e1, e3, e4].reduce((t, e) => t + BigInt(e.record!.reward) - twin, 0n) - (BOND - a4Bond),
      usage: [e1, e3, e4].reduce((t, e) => t + BigInt(e.record!.usageIncome), 0n),
      clientsPaid: (await escrowPaid(ac)) + (await escrowPaid(ac0)), victimPaid: await escrowPaid(hc),
      attackerFees: a.feesPaid + ac.feesPaid + ac0.feesPaid,
      emptyClientPaid: await escrowPaid(ac0),
      burnedPerPayment: [e1, e3, e4].map((e) => e.record!.work!),
    };
  } finally {
    await app.close();
  }
}

describe("economics: no self-dealing strategy ends in profit (real app, real settlement, a grid of parameters)", function () {
  this.timeout(300_000);
  const grid: Array<[string, string, string]> = [];
  for (const burn of ["0.010000000000000000", "0.100000000000000000", "0.500000000000000000"]) {
    for (const [prove, inflation] of [["0.100000000000000000", "0.900000000000000000"], ["0.250000000000000000", "0.250000000000000000"], ["1.000000000000000000", "0.050000000000000000"]]) grid.push([burn, prove, inflation]);
  }
  for (const [burn, prove, inflation] of grid) {
    it(`burn ${Number(burn)}, prove probability ${Number(prove)}, inflation share ${Number(inflation)}`, async () => {
      const r = await play(burn, prove, inflation);
      // usage buys no availability: the cheating nodes and their idle twin get the same share of inflation
      // (the proof skipper a4, when slashed, has less bond and so less availability)
      assert.equal(r.cheaterAvailability[0], r.twinAvailability);
      assert.equal(r.cheaterAvailability[1], r.twinAvailability);
      assert.ok(r.cheaterAvailability[2] <= r.twinAvailability);
      const profit = r.gain - r.clientsPaid - r.attackerFees;
      if (process.env.ECON_VERBOSE) console.log(`      gain ${r.gain}, paid ${r.clientsPaid}, fees ${r.attackerFees}: profit ${profit}; honest node ${r.honestReward} (usage ${r.honestUsage})`);
      assert.ok(profit < 0n, `self-dealing profit ${profit} (gain ${r.gain}, paid ${r.clientsPaid}, fees ${r.attackerFees})`);
      // what came back is what was paid, less the burn of each payment (and less any slash)
      const burnShare = BigInt(burn.replace(".", ""));
      assert.ok(r.clientsPaid > 1_000_000n, "delivery and the job were paid");
      assert.ok(r.usage <= r.clientsPaid - (r.clientsPaid * burnShare) / 10n ** 18n + 3n, `usage ${r.usage} of ${r.clientsPaid} paid`);
      for (const w of r.burnedPerPayment) {
        const paid = BigInt(w.deliveryPaid) + BigInt(w.storagePaid) + BigInt(w.computePaid);
        assert.ok(BigInt(w.burned) >= (paid * burnShare) / 10n ** 18n - 3n, `burned ${w.burned} of ${paid}`);
      }
      assert.ok(r.gain <= r.usage);
      // an empty escrow pays (and earns the node) nothing beyond what it held
      assert.ok(r.emptyClientPaid <= 1n);
      // the victim paid only for what it signed to the honest node: 4 GB at 1000 uaro/GB
      assert.equal(r.victimPaid, 4000n);
      // and the honest node, serving an independent customer, earns its usage and availability
      assert.ok(r.honestUsage > 0n && r.honestReward > r.honestUsage, `honest node reward ${r.honestReward}, usage ${r.honestUsage}`);
    });
  }
});
