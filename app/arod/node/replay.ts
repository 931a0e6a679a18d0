import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { anteHandler, createModules } from "../../../modules/index.ts";
import { upgradeHandlers } from "../../upgrades/index.ts";
import { App } from "../../../chain/app.ts";
import { silentLogger } from "../../../chain/logger.ts";
import { CommittedStore } from "../../../chain/store/committed-store.ts";

export interface ReplayMismatch {
  readonly height: number;
  readonly expected: string;
  readonly computed: string;
}

export interface ReplayResult {
  readonly blocks: number;
  /** App hash after each height, as computed by the fresh app. */
  readonly appHashes: string[];
  readonly mismatches: ReplayMismatch[];
}

async function rpc<T>(url: string): Promise<T> {
  const body = (await (await fetch(url)).json()) as { result?: T; error?: { data?: string } };
  if (!body.result) throw new Error(`${url}: ${body.error?.data ?? "no result"}`);
  return body.result;
}

interface BlockJson {
  block: {
    header: { height: string; time: string; app_hash: string; proposer_address: string };
    data: { txs: string[] | null };
    last_commit: { round: number; signatures: Array<{ block_id_flag: number; validator_address: string }> } | null;
    evidence: { evidence: Array<{ type: string; value: Record<string, any> }> | null };
  };
  block_id: { hash: string };
}

const hexBytes = (h: string) => new Uint8Array(Buffer.from(h, "hex"));

/** The decided last commit CometBFT handed the app with this block: signatures plus each signer's power at h-1. */
async function decidedLastCommit(rpcUrl: string, block: BlockJson) {
  const h = Number(block.block.header.height);
  const sigs = block.block.last_commit?.signatures ?? [];
  if (h <= 1 || sigs.length === 0) return { round: 0, votes: [] };
  const vals = await rpc<{ validators: Array<{ address: string; voting_power: string }> }>(`${rpcUrl}/validators?height=${h - 1}&per_page=100`);
  const power = new Map(vals.validators.map((v) => [v.address, BigInt(v.voting_power)]));
  return {
    round: block.block.last_commit!.round,
    votes: sigs.map((s, i) => {
      const address = s.validator_address || vals.validators[i].address;
      return { validator: { address: hexBytes(address), power: power.get(address) ?? 0n }, blockIdFlag: s.block_id_flag };
    }),
  };
}

/** Duplicate-vote evidence in the block, as the misbehavior list of FinalizeBlock. */
function misbehaviorOf(block: BlockJson) {
  return (block.block.evidence.evidence ?? []).filter((e) => e.type === "tendermint/DuplicateVoteEvidence").map((e) => ({
    type: 1,
    validator: { address: hexBytes(e.value.vote_a.validator_address), power: BigInt(e.value.validator_power) },
    height: BigInt(e.value.vote_a.height),
    time: { seconds: BigInt(Math.floor(Date.parse(e.value.timestamp) / 1000)), nanos: 0 },
    totalVotingPower: BigInt(e.value.total_voting_power),
  }));
}

/**
 * Determinism check: feeds the chain's committed blocks (from a node's RPC) into a
 * brand-new app with an empty store, and compares the app hash after every block
 * with the one CometBFT recorded in the next block's header.
 */
export async function replayChain(genesisFile: string, rpcUrl: string, toHeight: number, onProgress?: (h: number) => void): Promise<ReplayResult> {
  const genesis = JSON.parse(fs.readFileSync(genesisFile, "utf8"));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "arod-replay-"));
  const store = await CommittedStore.open(path.join(dir, "application.db"));
  try {
    const app = new App({ store, modules: createModules({ upgradeHandlers }), ante: anteHandler, log: silentLogger });
    const first = await rpc<BlockJson>(`${rpcUrl}/block?height=1`);
    const genesisTime = new Date(genesis.genesis_time);
    await app.initChain({
      time: { seconds: BigInt(Math.floor(genesisTime.getTime() / 1000)), nanos: 0 },
      chainId: genesis.chain_id,
      consensusParams: {
        block: { maxBytes: BigInt(genesis.consensus_params.block.max_bytes), maxGas: BigInt(genesis.consensus_params.block.max_gas) },
        abci: { voteExtensionsEnableHeight: BigInt(genesis.consensus_params.abci?.vote_extensions_enable_height ?? 0) },
        evidence: { maxAgeNumBlocks: BigInt(genesis.consensus_params.evidence?.max_age_num_blocks ?? 0), maxBytes: BigInt(genesis.consensus_params.evidence?.max_bytes ?? 0), maxAgeDuration: { seconds: 0n, nanos: 0 } },
      },
      validators: [],
      appStateBytes: new TextEncoder().encode(JSON.stringify(genesis.app_state ?? {})),
      initialHeight: BigInt(genesis.initial_height ?? 1),
    });
    const appHashes: string[] = [];
    const mismatches: ReplayMismatch[] = [];
    let next = first;
    for (let h = 1; h <= toHeight; h++) {
      const block = next;
      next = await rpc<BlockJson>(`${rpcUrl}/block?height=${h + 1}`);
      const t = new Date(block.block.header.time);
      const res = await app.finalizeBlock({
        txs: (block.block.data.txs ?? []).map((b) => new Uint8Array(Buffer.from(b, "base64"))),
        decidedLastCommit: await decidedLastCommit(rpcUrl, block),
        misbehavior: misbehaviorOf(block),
        hash: new Uint8Array(Buffer.from(block.block_id.hash, "hex")),
        height: BigInt(h),
        time: { seconds: BigInt(Math.floor(t.getTime() / 1000)), nanos: 0 },
        nextValidatorsHash: new Uint8Array(),
        proposerAddress: new Uint8Array(Buffer.from(block.block.header.proposer_address, "hex")),
      });
      await app.commit();
      const computed = Buffer.from(res.appHash!).toString("hex").toUpperCase();
      appHashes.push(computed);
      const expected = next.block.header.app_hash.toUpperCase();
      if (computed !== expected) mismatches.push({ height: h, expected, computed });
      onProgress?.(h);
    }
    return { blocks: toHeight, appHashes, mismatches };
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
