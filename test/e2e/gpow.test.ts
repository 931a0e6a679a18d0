import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { DirectSecp256k1Wallet } from "@cosmjs/proto-signing";
import { QueryClient, SigningStargateClient, coin, type DeliverTxResponse } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { aroRegistry, setupAroExtension } from "../../client/index.ts";
import { ClaimStatus, JobStatus } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import { MsgSubmitJobResponse, MsgSubmitProofResponse, MsgSubmitStorageProof } from "../../proto/gen/aro/gpow/v1/tx.ts";
import { NatType, Service } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { MsgRegisterNodeResponse } from "../../proto/gen/aro/peernode/v1/tx.ts";
import { EpochPhase } from "../../proto/gen/aro/settlement/v1/settlement.ts";
import { MsgPublishContentResponse } from "../../proto/gen/aro/market/v1/tx.ts";
import { chunkBranch, chunkHash, chunkRoot } from "../../chain/proofs/chunk-tree.ts";
import { SEGMENT_SIZE, segmentProof } from "../../chain/proofs/segments.ts";
import { receiptKey } from "../../chain/proofs/sum-tree.ts";
import { decFromString } from "../../chain/dec.ts";
import { resultCommitment } from "../../protocol/result-commitment.ts";
import { EpochClaim } from "../../workers/gpow/epoch-claim.ts";
import { ReceiptSigner } from "../../client/receipts/receipt-signer.ts";
import { eventually } from "../support/eventually.ts";
import { CHAIN_ID, LocalNode, newAccount, type Funded } from "../../app/testnet/local-node.ts";
import { signTx } from "../support/sign.ts";

const FEE = { amount: [coin(50000, "uaro")], gas: "2000000" };
const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const peerId = (n: number) => "12D3KooW" + Array.from({ length: 44 }, (_, i) => B58[(n * 11 + i * 7) % 58]).join("");
const BOND = 10_000_000n;

describe("e2e: GPoW — proven delivery, storage and compute paid per epoch; liars slashed", function () {
  let node: LocalNode;
  let owner: Funded;
  const watchers: Funded[] = [];
  let customer: ReceiptSigner;
  let dOperator: ReceiptSigner; // node D's operator key: receipts it signs are self-dealing
  let ownerClient: SigningStargateClient;
  let customerClient: SigningStargateClient;
  const watcherClients: SigningStargateClient[] = [];
  let comet: Comet38Client;
  let q: ReturnType<typeof QueryClient.withExtensions<ReturnType<typeof setupAroExtension>>>;
  const ids = { A: 0n, B: 0n, C: 0n, D: 0n };
  // three 8 KiB chunks of two 4 KiB segments, the last chunk short (one segment of 4000 bytes)
  const CHUNK = 8192;
  const data = new Uint8Array(randomBytes(2 * CHUNK + 4000));
  const SIZE = BigInt(data.length);
  const chunks = [0, 1, 2].map((i) => data.subarray(i * CHUNK, (i + 1) * CHUNK));
  const hashes = chunks.map(chunkHash);
  const root = Buffer.from(chunkRoot(hashes)).toString("hex");
  let contentId = 0n;
  let epoch = 0n; // the epoch whose work is proven and settled
  let claimA: EpochClaim;

  const height = async () => (await comet.status()).syncInfo.latestBlockHeight;
  const waitHeight = async (h: bigint | number) => {
    while (BigInt(await height()) < BigInt(h)) await new Promise((r) => setTimeout(r, 150));
  };
  const ok = (r: DeliverTxResponse) => (assert.equal(r.code, 0, r.rawLog), r);
  /** Signs several txs with consecutive sequences and broadcasts them at once (they land in one or two blocks). */
  async function sendBatch(client: SigningStargateClient, address: string, txs: Array<Array<{ typeUrl: string; value: unknown }>>) {
    const acct = await client.getSequence(address);
    const chainId = await client.getChainId();
    const hashesOut: string[] = [];
    for (let i = 0; i < txs.length; i++) {
      const raw = await client.sign(address, txs[i], FEE, "", { accountNumber: acct.accountNumber, sequence: acct.sequence + i, chainId });
      hashesOut.push(await client.broadcastTxSync(TxRaw.encode(raw).finish()));
    }
    return Promise.all(hashesOut.map(async (h) => {
      for (;;) {
        const tx = await client.getTx(h);
        if (tx) return tx;
        await new Promise((r) => setTimeout(r, 200));
      }
    }));
  }

  before(async () => {
    owner = await newAccount();
    for (let i = 0; i < 3; i++) watchers.push(await newAccount());
    const customerKey = new Uint8Array(randomBytes(32));
    customer = await ReceiptSigner.fromPrivateKey(customerKey);
    dOperator = await ReceiptSigner.fromPrivateKey(new Uint8Array(randomBytes(32)));
    node = await LocalNode.create({
      funded: [owner, ...watchers].map((a) => ({ address: a.address, coins: "100000000000uaro" })).concat([{ address: customer.address, coins: "100000000000uaro" }]),
      editGenesis: (g) => {
        const s = g.app_state;
        Object.assign(s.settlement.params, { epochLength: "40" });
        Object.assign(s.gpow.params, { claimWindow: "12", proofWindow: "12", alwaysProveBytes: "1", storageWindow: "30", commitWindow: "6", revealWindow: "6" });
        Object.assign(s.watcher.params, { attestWindow: "12", maxStrikes: 1, minStake: "1000000" });
        Object.assign(s.peernode.params, { minBond: "1000000" });
        Object.assign(s.market.params, { chunkSize: CHUNK });
      },
    });
    await node.start();
    const opts = { registry: aroRegistry(), broadcastPollIntervalMs: 200 };
    ownerClient = await SigningStargateClient.connectWithSigner(node.rpc, owner.wallet, opts);
    customerClient = await SigningStargateClient.connectWithSigner(node.rpc, await DirectSecp256k1Wallet.fromKey(customerKey, "aro"), opts);
    for (const k of watchers) watcherClients.push(await SigningStargateClient.connectWithSigner(node.rpc, k.wallet, opts));
    comet = await Comet38Client.connect(node.rpc);
    q = QueryClient.withExtensions(comet, setupAroExtension);
  });
  after(async () => {
    for (const c of [ownerClient, customerClient, ...watcherClients]) c?.disconnect();
    comet?.disconnect();
    await node?.cleanup();
  });

  it("sets the stage: four nodes, three watchers, a customer's escrow and content placed on the CDN nodes", async () => {
    const reg = (n: number, services: Service[]) => ({
      typeUrl: "/aro.peernode.v1.MsgRegisterNode",
      value: {
        owner: owner.address, operator: n === 4 ? dOperator.address : owner.address, peerId: peerId(n), multiaddrs: [`/ip4/127.0.0.1/tcp/${4000 + n}`], endpoints: [], region: "europe",
        resources: { bandwidthMbps: 100n, storageGb: 10n, cpuMillicores: 1000n, memoryMb: 1024n, gpus: 0 }, natType: NatType.NAT_TYPE_PUBLIC, services,
        commission: "0.1", bond: coin(BOND.toString(), "uaro"),
      },
    });
    const r = ok(await ownerClient.signAndBroadcast(owner.address, [reg(1, [Service.SERVICE_CDN, Service.SERVICE_HVM]), reg(2, [Service.SERVICE_CDN]), reg(3, [Service.SERVICE_HVM]), reg(4, [Service.SERVICE_HVM])], FEE));
    [ids.A, ids.B, ids.C, ids.D] = r.msgResponses.map((m) => MsgRegisterNodeResponse.decode(m.value).nodeId);
    await Promise.all(watchers.map(async (k, i) => ok(await watcherClients[i].signAndBroadcast(k.address, [{ typeUrl: "/aro.watcher.v1.MsgRegisterWatcher", value: { address: k.address, region: "europe", stake: coin("5000000", "uaro") } }], FEE))));
    const p = ok(await customerClient.signAndBroadcast(customer.address, [
      { typeUrl: "/aro.market.v1.MsgDepositEscrow", value: { owner: customer.address, amount: coin("1000000000", "uaro") } },
      { typeUrl: "/aro.market.v1.MsgPublishContent", value: { owner: customer.address, root, size: SIZE, replication: 2, regions: ["europe"], epochs: 10n } },
    ], FEE));
    const published = MsgPublishContentResponse.decode(p.msgResponses[1].value);
    contentId = published.contentId;
    assert.deepEqual([...published.replicas].sort(), [ids.A, ids.B], "the two CDN nodes hold the replicas");
    // both nodes say they received and verified their replica: challenged from the next epoch on
    ok(await ownerClient.signAndBroadcast(owner.address, [ids.A, ids.B].map((nodeId) => ({ typeUrl: "/aro.market.v1.MsgAckReplica", value: { operator: owner.address, nodeId, contentId } })), FEE));
    // the work happens in the next epoch: watchers and replicas are fixed at its start
    epoch = (await q.aro.gpow.EpochInfo({})).epoch + 1n;
    await waitHeight((await q.aro.gpow.EpochInfo({})).epochEnd + 1n);
    // CometBFT reports a block's height before the app has committed it: wait for the epoch's committee
    await eventually(async () => assert.equal((await q.aro.watcher.Committee({ nodeId: ids.A, epoch })).watchers.length, 3), 30_000, 100);
  });

  it("storage: node A answers its seeded challenge with the segment's bytes and both branches; a hash alone, wrong or oversize bytes, a wrong branch and another segment are refused (B stays silent)", async () => {
    const ch = await q.aro.gpow.StorageChallenge({ nodeId: ids.A, contentId, epoch });
    const [i, s] = [Number(ch.chunkIndex), Number(ch.segmentIndex)];
    assert.ok(s < Math.ceil(chunks[i].length / SEGMENT_SIZE), `segment ${s} of chunk ${i}`);
    const typeUrl = "/aro.gpow.v1.MsgSubmitStorageProof";
    const proof = (index: number, seg: number): MsgSubmitStorageProof => {
      const p = segmentProof(chunks[index], seg);
      return { operator: owner.address, nodeId: ids.A, contentId, epoch, chunkIndex: BigInt(index), segmentIndex: BigInt(seg), segment: p.segment, segmentBranch: p.branch, branch: chunkBranch(hashes, index) };
    };
    const good = proof(i, s);

    // refused at CheckTx: the old answer (the chunk hash in field 6, no data) and a segment over 4 KiB
    const acct = await ownerClient.getSequence(owner.address);
    const checkTx = async (value: Uint8Array) => {
      const { bytes } = await signTx({ wallet: owner.wallet, chainId: CHAIN_ID, accountNumber: BigInt(acct.accountNumber), sequence: BigInt(acct.sequence), messages: [{ typeUrl, value }], fee: FEE.amount, gas: BigInt(FEE.gas) });
      return comet.broadcastTxSync({ tx: bytes });
    };
    const hashOnly = Buffer.concat([MsgSubmitStorageProof.encode({ ...good, segmentIndex: 0n, segment: new Uint8Array(), segmentBranch: [] }).finish(), Uint8Array.of(0x32, 32), hashes[i]]);
    const rHashOnly = await checkTx(hashOnly);
    assert.equal(rHashOnly.code, 2, `the hash-only answer must not decode: ${rHashOnly.log}`);
    assert.match(rHashOnly.log ?? "", /unknown field|field 6|MsgSubmitStorageProof/i);
    const rOversize = await checkTx(MsgSubmitStorageProof.encode({ ...good, segment: new Uint8Array(SEGMENT_SIZE + 1) }).finish());
    assert.deepEqual([rOversize.codespace, rOversize.code], ["gpow", 14], rOversize.log);
    assert.match(rOversize.log ?? "", /segment must be 1\.\.4096 bytes/);

    // refused when executed: the chunk hash given as the "data", one byte changed, another chunk's branch, another segment
    const flipped = new Uint8Array(good.segment);
    flipped[0] ^= 1;
    const other = chunks[i].length > SEGMENT_SIZE ? proof(i, 1 - s) : proof((i + 1) % 3, 0);
    const otherBranch = chunkBranch(hashes, (i + 1) % 3);
    const [rHash, rBytes, rBranch, rOther, right] = await sendBatch(ownerClient, owner.address, [
      [{ typeUrl, value: { ...good, segment: hashes[i], segmentBranch: [] } }],
      [{ typeUrl, value: { ...good, segment: flipped } }],
      [{ typeUrl, value: { ...good, branch: otherBranch } }],
      [{ typeUrl, value: other }],
      [{ typeUrl, value: good }],
    ]);
    assert.deepEqual([rHash.code, rBytes.code, rBranch.code, rOther.code], [14, 14, 14, 13], [rHash, rBytes, rBranch, rOther].map((r) => r.rawLog).join("\n"));
    assert.match(rHash.rawLog ?? "", /bytes, got 32/);
    assert.match(rBytes.rawLog ?? "", /do not lead to the content root/);
    assert.equal(right.code, 0, right.rawLog);
    assert.ok(right.events.some((e) => e.type === "storage_proof" && e.attributes.some((a) => a.key === "segment" && a.value === String(s))));
    assert.equal((await q.aro.gpow.StorageChallenge({ nodeId: ids.A, contentId, epoch })).answered, true);
  });

  it("compute: a job on three nodes with one liar — the majority is credited, the liar slashed", async () => {
    const r = ok(await customerClient.signAndBroadcast(customer.address, [{
      typeUrl: "/aro.gpow.v1.MsgSubmitJob",
      value: { owner: customer.address, wasmCid: "bafywasm", inputCid: "bafyinput", limits: { maxInstructions: 1_000_000n, maxMemoryBytes: 1n << 24n, maxOutputBytes: 1024n }, redundancy: 3, maxPayment: coin("1000000", "uaro") },
    }], FEE));
    const { jobId, nodes } = MsgSubmitJobResponse.decode(r.msgResponses[0].value);
    assert.deepEqual([...nodes].sort(), [ids.A, ids.C, ids.D]);
    const outputOf = (n: bigint) => (n === ids.C ? "bafy-wrong" : "bafy-right");
    const commit = nodes.map((n) => ({ typeUrl: "/aro.gpow.v1.MsgCommitResult", value: { operator: owner.address, nodeId: n, jobId, commitment: resultCommitment(outputOf(n), 4000n, `salt${n}`) } }));
    ok(await ownerClient.signAndBroadcast(owner.address, commit, FEE));
    const job = (await q.aro.gpow.Job({ jobId })).job!;
    await waitHeight(job.commitDeadline + 1n);
    const reveal = nodes.map((n) => ({ typeUrl: "/aro.gpow.v1.MsgRevealResult", value: { operator: owner.address, nodeId: n, jobId, outputCid: outputOf(n), computeUnits: 4000n, salt: `salt${n}` } }));
    ok(await ownerClient.signAndBroadcast(owner.address, reveal, FEE));
    await waitHeight(job.revealDeadline + 2n);
    const done = (await q.aro.gpow.Job({ jobId })).job!;
    assert.equal(done.status, JobStatus.JOB_STATUS_DONE);
    assert.equal(done.outputCid, "bafy-right");
    assert.equal(done.paid, "1", "2 agreeing nodes x 4000 units x 0.000001 uaro, rounded up");
    const c = (await q.aro.peernode.Node({ nodeId: ids.C })).node!;
    assert.equal(c.guaranteeTokens, ((BOND * 95n) / 100n).toString(), "the liar lost 5% of its bond");
  });

  it("delivery: claims after the epoch; forged, self-dealt, misplaced and wrongly summed proofs are refused; late claims too", async () => {
    const sign = (node: bigint, nonce: bigint, bytes: bigint, by = customer) => by.sign({ nodeId: node, contentId: root, rangeStart: 0n, rangeEnd: bytes, epoch, nonce });
    claimA = new EpochClaim([await sign(ids.A, 1n, 400_000n), await sign(ids.A, 2n, 250_000n), await sign(ids.A, 3n, 350_000n)]);
    const bReceipts = [await sign(ids.B, 1n, 100_000n)];
    // D's only receipt is signed by D's own operator key: the chain refuses self-dealt receipts
    const selfDealt = await dOperator.sign({ nodeId: ids.D, contentId: root, rangeStart: 0n, rangeEnd: 1000n, epoch, nonce: 1n });
    const info = await q.aro.gpow.EpochInfo({});
    assert.ok(info.epoch > epoch || BigInt(await height()) > (await q.aro.gpow.EpochInfo({})).epochStart);
    const end = (epoch + 1n) * 40n;
    await waitHeight(end + 1n);
    const claimB = new EpochClaim(bReceipts).claim(owner.address, ids.B, epoch);
    // B lists more bytes than its receipts add up to (the client's signed tally still caps the charge)
    const inflatedB = { ...claimB, totalBytes: claimB.totalBytes + 5000n, clientTotals: [{ ...claimB.clientTotals[0], bytes: claimB.totalBytes + 5000n }] };
    const heldBefore = BigInt((await q.aro.market.Escrow({ owner: customer.address })).escrow!.held); // the content's storage reservation
    const claims = [claimA.claim(owner.address, ids.A, epoch), inflatedB];
    const results = await sendBatch(ownerClient, owner.address, claims.map((c) => [{ typeUrl: "/aro.gpow.v1.MsgSubmitClaim", value: c }]));
    for (const r of results) assert.equal(r.code, 0, r.rawLog);
    // watchers attest: D is down (two say 0), the third lies that it was up
    const report = (n: bigint, up: number) => ({ nodeId: n, uptimePermille: up, latencyMs: 20, chunksPassed: 3, chunksFailed: 0 });
    await Promise.all(watchers.map(async (k, i) => ok(await watcherClients[i].signAndBroadcast(k.address, [{
      typeUrl: "/aro.watcher.v1.MsgSubmitAttestations",
      value: { watcher: k.address, epoch, reports: [report(ids.A, 1000), report(ids.B, 1000), report(ids.C, 1000), report(ids.D, i === 2 ? 1000 : 0)] },
    }], FEE))));
    // D's claim lists its own operator as the client: refused at once (the tally is self-dealt)
    const selfClaim = new EpochClaim([selfDealt]);
    const self = await ownerClient.signAndBroadcast(owner.address, [{ typeUrl: "/aro.gpow.v1.MsgSubmitClaim", value: selfClaim.claim(owner.address, ids.D, epoch) }], FEE);
    assert.equal(self.code, 8, self.rawLog);
    assert.equal(BigInt((await q.aro.market.Escrow({ owner: customer.address })).escrow!.held) - heldBefore, 1n, "held for the claims: A's 1 MB (1 uaro); B's 100 kB rounds down to 0; nothing for D");

    await waitHeight(end + 12n + 1n); // the claim window is over: the proof seed is fixed
    const late = await ownerClient.signAndBroadcast(owner.address, [{ typeUrl: "/aro.gpow.v1.MsgSubmitClaim", value: new EpochClaim([await sign(ids.C, 9n, 10n)]).claim(owner.address, ids.C, epoch) }], FEE);
    assert.equal(late.code, 2, late.rawLog);

    // the proof seed comes with the first block after the claim window, which the app may not have committed yet
    const offsetA = await eventually(async () => {
      const offset = (await q.aro.gpow.Claim({ nodeId: ids.A, epoch })).claim!.openOffsets[0];
      assert.notEqual(offset, undefined, "no proof asked for yet");
      return offset;
    }, 30_000, 100);
    const good = claimA.proof(offsetA);
    const proofMsg = (nodeId: bigint, offset: bigint, p: ReturnType<EpochClaim["proof"]>) => [{ typeUrl: "/aro.gpow.v1.MsgSubmitProof", value: { operator: owner.address, nodeId, epoch, offset, receipt: p.receipt, branch: p.branch } }];
    const forged = { ...good, receipt: { ...good.receipt, rangeEnd: good.receipt.rangeEnd + 1n, bytes: good.receipt.bytes + 1n } };
    const badBranch = { ...good, branch: { ...good.branch, siblings: good.branch.siblings.map((s, i) => (i === 0 ? { ...s, hash: new Uint8Array(32).fill(7) } : s)) } };
    // the same receipt placed at another nonce's leaf (how a node would count one delivery twice)
    const twice = new EpochClaim(claimA.receipts, [...claimA.receipts.map((r) => ({ key: receiptKey(r.client, r.nonce), receipt: r })), { key: receiptKey(customer.address, 77n), receipt: good.receipt }]);
    const dupKey = twice.tree.leaves.findIndex((l) => l.key === receiptKey(customer.address, 77n));
    let start = 0n;
    for (let i = 0; i < dupKey; i++) start += twice.tree.leaves[i].node.sum;
    const offsetB = (await q.aro.gpow.Claim({ nodeId: ids.B, epoch })).claim!.openOffsets[0];
    const bTree = new EpochClaim(bReceipts);
    const [rForged, rBranch, rTwice, rSum] = await sendBatch(ownerClient, owner.address, [
      proofMsg(ids.A, offsetA, forged),
      proofMsg(ids.A, offsetA, badBranch),
      proofMsg(ids.A, offsetA, twice.proof(start)),
      proofMsg(ids.B, offsetB, bTree.proof(offsetB < bTree.totalBytes ? offsetB : 0n)),
    ]);
    assert.deepEqual([rForged.code, rBranch.code, rTwice.code, rSum.code], [7, 10, 10, 10], [rForged, rBranch, rTwice, rSum].map((r) => r.rawLog).join("\n"));
    const accepted = ok(await ownerClient.signAndBroadcast(owner.address, proofMsg(ids.A, offsetA, good), FEE));
    assert.equal(MsgSubmitProofResponse.decode(accepted.msgResponses[0].value).claimAccepted, true);
  });

  it("settlement: the honest node is paid exactly by the formula (availability + usage) and `explain` shows it; B loses part of its bond; the lying watcher is slashed", async () => {
    await eventually(async () => assert.equal((await q.aro.settlement.Epoch({ epoch })).settlement!.phase, EpochPhase.EPOCH_PHASE_SETTLED), 60_000, 300);
    const s = (await q.aro.settlement.Epoch({ epoch })).settlement!;
    assert.equal((await q.aro.gpow.Claim({ nodeId: ids.A, epoch })).claim!.status, ClaimStatus.CLAIM_STATUS_ACCEPTED);
    assert.equal((await q.aro.gpow.Claim({ nodeId: ids.B, epoch })).claim!.status, ClaimStatus.CLAIM_STATUS_VOID);

    const ex = await q.aro.settlement.Explain({ nodeId: ids.A, epoch });
    const r = ex.record!;
    assert.equal(r.work!.deliveredBytes, 1_000_000n, "1 MB, paid for (1 uaro at 1000 uaro/GB)");
    // a 20 KB replica's epoch costs 1 uaro (rounded up: nothing is stored for free), paid from the reservation
    assert.equal(r.work!.storedBytes, SIZE);
    assert.equal(r.work!.storagePaid, "1");
    assert.equal(r.work!.storageProven, 1);
    assert.equal(r.uptimePermille, 1000, "the committee's median");
    // the formula, recomputed here from the recorded factors and the chain's parameters
    const bond = BigInt((await q.aro.peernode.Node({ nodeId: ids.A })).node!.guaranteeTokens);
    assert.equal(r.bond, bond.toString());
    assert.equal(r.bonded, true);
    const score = (bond * 10n ** 18n * 1000n) / 1000n; // uptime 1, public NAT 1, region 1, storage 1/1
    assert.equal(decFromString(r.score), score);
    const nodePool = BigInt(s.pool) - BigInt(s.watcherPool);
    const availability = (nodePool * score) / decFromString(s.totalScore);
    assert.equal(r.availabilityReward, availability.toString());
    const work = r.work!;
    const usage = BigInt(work.deliveryPaid) + BigInt(work.storagePaid) + BigInt(work.computePaid) - BigInt(work.burned);
    assert.equal(work.deliveryPaid, "1");
    assert.equal(r.usageIncome, usage.toString());
    const expected = availability + usage;
    assert.equal(r.reward, expected.toString());
    assert.equal(ex.recomputedReward, r.reward, "explain recomputes the same payout");
    assert.match(ex.formula, /availability score = bond .* usage income = delivery 1 .* reward = /);
    assert.equal(BigInt(r.commission), (expected * 10n) / 100n, "the owner's 10% commission");
    assert.ok(availability > 0n);

    const b = (await q.aro.peernode.Node({ nodeId: ids.B })).node!;
    assert.equal(b.guaranteeTokens, ((((BOND * 95n) / 100n) * 99n) / 100n).toString(), "B: 5% for the missing delivery proof, then 1% for the missed storage challenge");
    await assert.rejects(q.aro.settlement.Explain({ nodeId: ids.B, epoch }), /earned nothing/, "B gets no storage (nor delivery) reward");
    await assert.rejects(q.aro.gpow.Claim({ nodeId: ids.D, epoch }), /no claim/, "D's self-dealt claim was refused outright");
    const liar = (await q.aro.watcher.Watcher({ address: watchers[2].address })).watcher!;
    assert.equal(liar.jailed, true, "the watcher that attested a down node as up is jailed");
    assert.ok(BigInt(liar.tokens) < 5_000_000n, "and slashed");
    for (const k of watchers.slice(0, 2)) assert.equal((await q.aro.watcher.Watcher({ address: k.address })).watcher!.jailed, false);

    const escrow = (await q.aro.market.Escrow({ owner: customer.address })).escrow!;
    assert.equal(BigInt(escrow.balance) + BigInt(escrow.held) + BigInt(escrow.withdrawing), BigInt(escrow.deposited) - BigInt(escrow.withdrawn) - BigInt(escrow.paid), "escrow = deposits - payments");
    assert.equal(escrow.paid, "3", "the job (1 uaro), A's delivered bytes (1 MB x 1000 uaro/GB) and A's proven epoch of storage (1 uaro); B's void claim was released");

    // every settled epoch paid A its availability reward; what is pending now includes this epoch's
    const sum = (coins: Array<{ amount: string }>) => coins.reduce((t, c) => t + BigInt(c.amount), 0n);
    const pending = await q.aro.peernode.PendingRewards({ address: owner.address, nodeId: ids.A });
    const owed = sum(pending.rewards) + sum(pending.commission);
    assert.ok(owed >= expected - 1n, `pending ${owed} covers this epoch's ${expected}`);
    const before = BigInt((await ownerClient.getBalance(owner.address, "uaro")).amount);
    const w = ok(await ownerClient.signAndBroadcast(owner.address, [{ typeUrl: "/aro.peernode.v1.MsgWithdrawNodeRewards", value: { address: owner.address, nodeId: ids.A } }], FEE));
    const got = BigInt((await ownerClient.getBalance(owner.address, "uaro")).amount) - before + 50_000n;
    assert.ok(got >= owed - 1n && got <= owed + expected, `the owner (sole backer of A) got its rewards: ${got} of ${owed} pending`);
    assert.ok(w.events.some((e) => e.type === "withdraw_node_rewards"));
    // every block since genesis passed every module's invariants (the node halts otherwise)
    const h = await height();
    await waitHeight(h + 2);
  });
});
