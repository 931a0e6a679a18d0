// Delivery proofs verified per second inside FinalizeBlock, against plain MsgSends in the
// same run. The real app runs in this process (no CometBFT), so the figure is the state
// machine's own: tx signature, receipt signature, 64-level sum-tree branch, claim update.
//   bash scripts/bench-proofs [--nodes 2000] [--receipts 4]
import { createHash } from "node:crypto";
import { parseArgs } from "node:util";
import { MsgSubmitClaim, MsgSubmitProof } from "../proto/gen/aro/gpow/v1/tx.ts";
import { MsgDepositEscrow } from "../proto/gen/aro/market/v1/tx.ts";
import { NatType, Service } from "../proto/gen/aro/peernode/v1/peernode.ts";
import { MsgRegisterNode } from "../proto/gen/aro/peernode/v1/tx.ts";
import { Claim } from "../proto/gen/aro/gpow/v1/gpow.ts";
import { sha256 } from "../chain/seed.ts";
import { gpowKeeper } from "../modules/gpow/keeper.ts";
import { EpochClaim } from "../workers/gpow/epoch-claim.ts";
import { ReceiptSigner } from "../client/receipts/receipt-signer.ts";
import { FastAccount } from "./lib/fast-signer.ts";
import { InProcessChain } from "./lib/in-process-chain.ts";

const { values: args } = parseArgs({ options: { nodes: { type: "string", default: "2000" }, receipts: { type: "string", default: "4" } } });
const N = Number(args.nodes);
const R = Number(args.receipts);
const log = (s: string) => process.stderr.write(s + "\n");
const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
/** A distinct, well-formed libp2p-style peer id per node (base58 digits of n). */
const peerId = (n: number) => "12D3KooW" + Array.from({ length: 44 }, (_, i) => B58[Math.floor(n / 58 ** i) % 58]).join("");

async function main() {
  log(`bench-proofs: ${N} nodes, ${R} receipts each; one claim and one proof per node`);
  const customerSeed = "bench-customer";
  const customer = new FastAccount(customerSeed);
  const signer = await ReceiptSigner.fromPrivateKey(new Uint8Array(createHash("sha256").update(customerSeed).digest()));
  if (signer.address !== customer.address) throw new Error("customer keys differ");
  const owners = Array.from({ length: N }, (_, i) => new FastAccount(`bench-node-owner-${i}`));
  const chain = await InProcessChain.create({
    funded: [customer, ...owners].map((a) => ({ address: a.address, coins: "1000000000000uaro" })),
    editGenesis: (s) => {
      Object.assign(s.settlement.params, { epochLength: "2" });
      Object.assign(s.gpow.params, { claimWindow: "2", proofWindow: "2", alwaysProveBytes: "1" });
      Object.assign(s.peernode.params, { minBond: "1000000" });
    },
  });
  const acct = (i: number) => BigInt(i + 1); // the customer is account 0, owners follow
  const tx = (a: FastAccount, n: bigint, seq: bigint, typeUrl: string, value: Uint8Array) => a.signedTx([{ typeUrl, value }], { chainId: chain.chainId, accountNumber: n, sequence: seq, gas: 1_000_000n, fee: "1000" });
  const check = (what: string, results: Array<{ code: number; log: string }>) => {
    const bad = results.filter((r) => r.code !== 0);
    if (bad.length) throw new Error(`${what}: ${bad.length} failed, e.g. ${bad[0].log}`);
  };

  log("block 1: registering nodes and the customer's escrow ...");
  const register = owners.map((o, i) => tx(o, acct(i), 0n, "/aro.peernode.v1.MsgRegisterNode", MsgRegisterNode.encode({
    owner: o.address, operator: o.address, peerId: peerId(i), multiaddrs: [`/ip4/10.0.${i >> 8}.${i & 255}/tcp/4001`], endpoints: [], region: "europe",
    resources: { bandwidthMbps: 100n, storageGb: 1n, cpuMillicores: 1000n, memoryMb: 1024n, gpus: 0 }, natType: NatType.NAT_TYPE_PUBLIC, services: [Service.SERVICE_CDN],
    commission: "0.1", bond: { denom: "uaro", amount: "1000000" }, maxCommissionRate: "", maxCommissionChangeRate: "",
  }).finish()));
  const deposit = tx(customer, 0n, 0n, "/aro.market.v1.MsgDepositEscrow", MsgDepositEscrow.encode({ owner: customer.address, amount: { denom: "uaro", amount: "100000000000" } }).finish());
  check("register", (await chain.block([deposit, ...register])).results);
  await chain.block([]); // end of epoch 0

  log(`signing ${N * R} receipts and building ${N} sum trees ...`);
  const claims: EpochClaim[] = [];
  for (let i = 0; i < N; i++) {
    const receipts = [];
    for (let r = 0; r < R; r++) receipts.push(await signer.sign({ nodeId: BigInt(i + 1), contentId: "bench", rangeStart: 0n, rangeEnd: 1000n + BigInt(r), epoch: 0n, nonce: BigInt(r) }));
    claims.push(new EpochClaim(receipts));
  }
  check("claims", (await chain.block(owners.map((o, i) => tx(o, acct(i), 1n, "/aro.gpow.v1.MsgSubmitClaim", MsgSubmitClaim.encode(claims[i].claim(o.address, BigInt(i + 1), 0n)).finish())))).results);
  await chain.block([]); // end of the claim window

  // the proof seed is the next block's hash: choose it, so the proofs can be built in advance
  const hash = createHash("sha256").update("proof block").digest();
  const seed = sha256(hash, "proofs", "0");
  const proofs = owners.map((o, i) => {
    const c = claims[i].claim(o.address, BigInt(i + 1), 0n);
    const claim: Claim = { ...c, status: 1, submittedHeight: 3n, openOffsets: [], customerPaid: "0", bond: "" };
    const offset = gpowKeeper.proofOffsets({ get: () => undefined, iterate: () => [] }, claim, seed)[0];
    const p = claims[i].proof(offset);
    return tx(o, acct(i), 2n, "/aro.gpow.v1.MsgSubmitProof", MsgSubmitProof.encode({ operator: o.address, nodeId: BigInt(i + 1), epoch: 0n, offset, receipt: p.receipt, branch: p.branch }).finish());
  });
  const proofBlock = await chain.block(proofs, hash);
  check("proofs", proofBlock.results);
  const sends = owners.map((o, i) => o.signedSend({ to: customer.address, amount: "1", chainId: chain.chainId, accountNumber: acct(i), sequence: 3n, gas: 200_000n, fee: "1000" }));
  const sendBlock = await chain.block(sends);
  check("sends", sendBlock.results);
  const proofsPerSec = N / (proofBlock.ms / 1000);
  const sendsPerSec = N / (sendBlock.ms / 1000);
  console.log(`proofs verified in FinalizeBlock: ${N} in ${proofBlock.ms.toFixed(0)} ms = ${proofsPerSec.toFixed(0)} proofs/s`);
  console.log(`plain MsgSends in FinalizeBlock:  ${N} in ${sendBlock.ms.toFixed(0)} ms = ${sendsPerSec.toFixed(0)} txs/s`);
  console.log(`proof / send throughput:          ${(proofsPerSec / sendsPerSec).toFixed(3)}`);
  await chain.close();
}

await main();
