import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { QueryClient, SigningStargateClient, coin, type DeliverTxResponse } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { aroRegistry, setupAroExtension } from "../../client/index.ts";
import { NatType, Service } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { MsgRegisterNodeResponse } from "../../proto/gen/aro/peernode/v1/tx.ts";
import { EpochPhase } from "../../proto/gen/aro/settlement/v1/settlement.ts";
import { MsgPublishContentResponse } from "../../proto/gen/aro/market/v1/tx.ts";
import { chunkBranch, chunkHash, chunkRoot } from "../../chain/proofs/chunk-tree.ts";
import { segmentProof } from "../../chain/proofs/segments.ts";
import { eventually } from "../support/eventually.ts";
import { LocalNode, newAccount, type Funded } from "../../app/testnet/local-node.ts";

const FEE = { amount: [coin(50000, "uaro")], gas: "2000000" };
const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const peerId = (n: number) => "12D3KooW" + Array.from({ length: 44 }, (_, i) => B58[(n * 13 + i * 5) % 58]).join("");
const BOND = 10_000_000n;
const EPOCH = 10n;
const SIZE = 8192n;
/** 1e9 uaro per GB-epoch: one replica's epoch of 8192 bytes costs 8192 uaro */
const PRICE = "1000000000.000000000000000000";

describe("e2e: storage terms — content that never arrives slashes nobody, and the publisher gets its reservation back", function () {
  let node: LocalNode;
  let owner: Funded;
  let publisher: Funded;
  let publisher2: Funded;
  let ownerClient: SigningStargateClient;
  let pubClient: SigningStargateClient;
  let pub2Client: SigningStargateClient;
  let comet: Comet38Client;
  let q: ReturnType<typeof QueryClient.withExtensions<ReturnType<typeof setupAroExtension>>>;
  const ids: bigint[] = [];
  const ok = (r: DeliverTxResponse) => (assert.equal(r.code, 0, r.rawLog), r);

  before(async () => {
    owner = await newAccount();
    publisher = await newAccount();
    publisher2 = await newAccount();
    node = await LocalNode.create({
      funded: [owner, publisher, publisher2].map((a) => ({ address: a.address, coins: "100000000000uaro" })),
      editGenesis: (g) => {
        const s = g.app_state;
        Object.assign(s.settlement.params, { epochLength: EPOCH.toString() });
        Object.assign(s.gpow.params, { claimWindow: "4", proofWindow: "4", storageWindow: "8", commitWindow: "3", revealWindow: "3" });
        Object.assign(s.watcher.params, { attestWindow: "4" });
        Object.assign(s.peernode.params, { minBond: "1000000" });
        Object.assign(s.market.params, { chunkSize: 4096, ackWindow: "35" });
        Object.assign(s.market.params.prices, { perGbEpochStored: PRICE });
      },
    });
    await node.start();
    const opts = { registry: aroRegistry(), broadcastPollIntervalMs: 200 };
    ownerClient = await SigningStargateClient.connectWithSigner(node.rpc, owner.wallet, opts);
    pubClient = await SigningStargateClient.connectWithSigner(node.rpc, publisher.wallet, opts);
    pub2Client = await SigningStargateClient.connectWithSigner(node.rpc, publisher2.wallet, opts);
    comet = await Comet38Client.connect(node.rpc);
    q = QueryClient.withExtensions(comet, setupAroExtension);
  });
  after(async () => {
    ownerClient?.disconnect();
    pubClient?.disconnect();
    pub2Client?.disconnect();
    comet?.disconnect();
    await node?.cleanup();
  });

  it("griefing: content published and never uploaded — no assigned node loses bond over several epochs, the unacked replicas are released and the reservation returned", async () => {
    const reg = (n: number) => ({
      typeUrl: "/aro.peernode.v1.MsgRegisterNode",
      value: {
        owner: owner.address, operator: owner.address, peerId: peerId(n), multiaddrs: [`/ip4/127.0.0.1/tcp/${4100 + n}`], endpoints: [], region: "europe",
        resources: { bandwidthMbps: 100n, storageGb: 10n, cpuMillicores: 1000n, memoryMb: 1024n, gpus: 0 }, natType: NatType.NAT_TYPE_PUBLIC, services: [Service.SERVICE_CDN],
        commission: "0.1", bond: coin(BOND.toString(), "uaro"),
      },
    });
    const r = ok(await ownerClient.signAndBroadcast(owner.address, [reg(1), reg(2)], FEE));
    ids.push(...r.msgResponses.map((m) => MsgRegisterNodeResponse.decode(m.value).nodeId));
    const bonds = async () => Promise.all(ids.map(async (nodeId) => BigInt((await q.aro.peernode.Node({ nodeId })).node!.guaranteeTokens)));
    const before = await bonds();

    const root = Buffer.from(randomBytes(32)).toString("hex");
    const p = ok(await pubClient.signAndBroadcast(publisher.address, [
      { typeUrl: "/aro.market.v1.MsgDepositEscrow", value: { owner: publisher.address, amount: coin("10000000", "uaro") } },
      { typeUrl: "/aro.market.v1.MsgPublishContent", value: { owner: publisher.address, root, size: SIZE, replication: 2, regions: ["europe"], epochs: 3n } },
    ], FEE));
    const { contentId, replicas } = MsgPublishContentResponse.decode(p.msgResponses[1].value);
    assert.equal(replicas.length, 2);
    // 8192 bytes x 2 replicas x 3 epochs at 1e9 uaro per GB-epoch, held from the escrow
    let escrow = (await q.aro.market.Escrow({ owner: publisher.address })).escrow!;
    assert.equal(escrow.held, (SIZE * 2n * 3n).toString());
    assert.equal(BigInt(escrow.balance), 10_000_000n - SIZE * 6n);
    const c = (await q.aro.market.Content({ contentId })).content!;
    const publishedEpoch = (c.publishedHeight - 1n) / EPOCH;

    // three epochs after publication settle: the unacked replicas were never challenged
    const last = publishedEpoch + 3n;
    await eventually(async () => assert.equal((await q.aro.settlement.Epoch({ epoch: last })).settlement!.phase, EpochPhase.EPOCH_PHASE_SETTLED), 240_000, 500);
    assert.deepEqual(await bonds(), before, "no node lost bond for content it never received");
    for (const nodeId of ids) {
      for (let e = publishedEpoch; e <= last; e++) {
        const ex = await q.aro.settlement.Explain({ nodeId, epoch: e }).catch(() => undefined);
        assert.equal(ex?.record?.work?.storageMissed ?? 0, 0, `node ${nodeId} missed no challenge in epoch ${e}`);
      }
    }
    // no node acked within ack_window: the content expired, nothing was paid, everything came back
    const after = (await q.aro.market.Content({ contentId })).content!;
    assert.equal(after.expired, true);
    assert.equal(after.reserved, "0");
    escrow = (await q.aro.market.Escrow({ owner: publisher.address })).escrow!;
    assert.deepEqual([escrow.held, escrow.balance, escrow.paid], ["0", "10000000", "0"], "the reservation returned in full");
    for (const nodeId of ids) assert.deepEqual((await q.aro.market.NodeReplicas({ nodeId })).contents.map((x) => x.id), [], "the content left the nodes' replica lists");
    await assert.rejects(
      ownerClient.signAndBroadcast(owner.address, [{ typeUrl: "/aro.market.v1.MsgAckReplica", value: { operator: owner.address, nodeId: ids[0], contentId } }], FEE).then((x) => ok(x)),
      /content expired/,
    );
  });

  it("an acked replica is challenged from the next epoch, each proof is paid from the reservation, and at the end of the term the content expires and the rest returns to the publisher", async () => {
    // two chunks of one 4 KiB segment each (chunk_size 4096)
    const data = new Uint8Array(randomBytes(Number(SIZE)));
    const chunks = [0, 1].map((i) => data.subarray(i * 4096, (i + 1) * 4096));
    const hashes = chunks.map(chunkHash);
    const root = Buffer.from(chunkRoot(hashes)).toString("hex");
    const DEPOSIT = 10_000_000n;
    const TERM = 2n;
    const p = ok(await pub2Client.signAndBroadcast(publisher2.address, [
      { typeUrl: "/aro.market.v1.MsgDepositEscrow", value: { owner: publisher2.address, amount: coin(DEPOSIT.toString(), "uaro") } },
      { typeUrl: "/aro.market.v1.MsgPublishContent", value: { owner: publisher2.address, root, size: SIZE, replication: 2, regions: ["europe"], epochs: TERM } },
    ], FEE));
    const { contentId, replicas } = MsgPublishContentResponse.decode(p.msgResponses[1].value);
    assert.deepEqual([...replicas].sort(), [...ids].sort());
    const [A, B] = replicas; // only A acks: B is never challenged
    const reservation = SIZE * 2n * TERM;
    const c = (await q.aro.market.Content({ contentId })).content!;
    assert.equal(c.reserved, reservation.toString());
    const lastEpoch = (c.publishedHeight - 1n) / EPOCH + TERM;
    assert.equal(c.expiresHeight, (lastEpoch + 1n) * EPOCH, "the term ends with its last epoch");

    const acked = ok(await ownerClient.signAndBroadcast(owner.address, [{ typeUrl: "/aro.market.v1.MsgAckReplica", value: { operator: owner.address, nodeId: A, contentId } }], FEE));
    const ackEpoch = (BigInt(acked.height) - 1n) / EPOCH;
    assert.ok(ackEpoch < lastEpoch, "acked within the term");
    await assert.rejects(
      ownerClient.signAndBroadcast(owner.address, [{ typeUrl: "/aro.market.v1.MsgAckReplica", value: { operator: owner.address, nodeId: A, contentId } }], FEE).then((x) => ok(x)),
      /already acked/,
    );
    const height = async () => BigInt((await comet.status()).syncInfo.latestBlockHeight);
    const prove = async (nodeId: bigint, epoch: bigint) => {
      const ch = await q.aro.gpow.StorageChallenge({ nodeId, contentId, epoch });
      const i = Number(ch.chunkIndex);
      const sp = segmentProof(chunks[i], Number(ch.segmentIndex));
      return ownerClient.signAndBroadcast(owner.address, [{
        typeUrl: "/aro.gpow.v1.MsgSubmitStorageProof",
        value: { operator: owner.address, nodeId, contentId, epoch, chunkIndex: ch.chunkIndex, segmentIndex: ch.segmentIndex, segment: sp.segment, segmentBranch: sp.branch, branch: chunkBranch(hashes, i) },
      }], FEE);
    };
    /** The log of a refused tx, whether CheckTx or DeliverTx refused it. */
    const refusal = (r: Promise<DeliverTxResponse>) => r.then((x) => (assert.notEqual(x.code, 0, "refused"), x.rawLog ?? ""), (e: Error) => e.message);
    const notChallenged = /has no replica of content \d+ challenged in epoch|storage proofs are for the current epoch/;
    // not challenged in the epoch of the ack (a proof landing in the next block of another epoch is refused too)
    assert.match(await refusal(prove(A, ackEpoch)), notChallenged);

    // challenged in every epoch after the ack until the end of the term: prove each one
    const proven: bigint[] = [];
    for (let epoch = ackEpoch + 1n; epoch <= lastEpoch; epoch++) {
      while ((await height()) < epoch * EPOCH + 1n) await new Promise((r) => setTimeout(r, 100));
      // CometBFT reports a block's height before the app has committed it: wait for the epoch's challenge
      await eventually(async () => void (await q.aro.gpow.StorageChallenge({ nodeId: A, contentId, epoch })), 30_000, 100);
      const before = (await q.aro.market.Content({ contentId })).content!;
      ok(await prove(A, epoch));
      // one replica-epoch (8192 uaro) paid from the reservation
      assert.equal(BigInt((await q.aro.market.Content({ contentId })).content!.reserved), BigInt(before.reserved) - SIZE);
      if (epoch === ackEpoch + 1n) assert.match(await refusal(prove(B, epoch)), /has no replica of content \d+ challenged in epoch/, "B never acked: never challenged");
      proven.push(epoch);
    }
    assert.ok(proven.length >= 1);

    // the term is over: the content expired, the unacked and the proven replica released, the rest returned
    await eventually(async () => assert.equal((await q.aro.market.Content({ contentId })).content!.expired, true), 60_000, 300);
    const after = (await q.aro.market.Content({ contentId })).content!;
    assert.equal(after.reserved, "0");
    const paid = SIZE * BigInt(proven.length);
    const escrow = (await q.aro.market.Escrow({ owner: publisher2.address })).escrow!;
    assert.deepEqual([escrow.held, escrow.paid, escrow.balance], ["0", paid.toString(), (DEPOSIT - paid).toString()], "only the proven replica-epochs were paid");
    for (const nodeId of [A, B]) assert.ok(!(await q.aro.market.NodeReplicas({ nodeId })).contents.some((x) => x.id === contentId));
    // no challenge after the term
    while ((await height()) < (lastEpoch + 1n) * EPOCH + 1n) await new Promise((r) => setTimeout(r, 100));
    // CometBFT reports a block's height before the app has committed it: until then the epoch "has not started"
    await eventually(async () => assert.match(await refusal(prove(A, lastEpoch + 1n)), notChallenged), 30_000, 200);

    // settled: the node's explain shows the storage it was paid; B was never challenged
    await eventually(async () => assert.equal((await q.aro.settlement.Epoch({ epoch: lastEpoch })).settlement!.phase, EpochPhase.EPOCH_PHASE_SETTLED), 120_000, 500);
    for (const epoch of proven) {
      const w = (await q.aro.settlement.Explain({ nodeId: A, epoch })).record!.work!;
      assert.equal(w.storageProven, 1, `epoch ${epoch}`);
      assert.equal(w.storageMissed, 0, `epoch ${epoch}`);
      assert.equal(BigInt(w.storagePaid), SIZE, `node ${A} earned one replica-epoch of storage in epoch ${epoch}`);
      const wb = (await q.aro.settlement.Explain({ nodeId: B, epoch }).catch(() => undefined))?.record?.work;
      assert.equal(wb?.storageMissed ?? 0, 0, `B (never acked) missed nothing in epoch ${epoch}`);
    }
  });
});
