import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { QueryClient, setupBankExtension, setupStakingExtension } from "@cosmjs/stargate";
import type { Metadata } from "cosmjs-types/cosmos/bank/v1beta1/bank";
import { readGenesis } from "../node/init.ts";

/** A bank denom's metadata (x/bank Metadata), as chain-info needs it. */
export interface DenomInfo {
  readonly base: string;
  readonly display: string;
  readonly name: string;
  readonly symbol: string;
  readonly description: string;
  readonly units: ReadonlyArray<{ readonly denom: string; readonly exponent: number; readonly aliases: readonly string[] }>;
}

/** What a wallet or registry entry needs to know of the chain itself. */
export interface ChainFacts {
  /** "node": read from the running node's RPC; "genesis": from the home's genesis.json (the node is not running). */
  readonly source: "node" | "genesis";
  readonly chainId: string;
  readonly bondDenom: string;
  readonly denoms: readonly DenomInfo[];
  /** CometBFT's version, when read from the node. */
  readonly cometbftVersion?: string;
}

/**
 * The chain id, the staking denom and the bank denom metadata: from the running node at `rpcUrl`
 * (its state as it is now), or from the home's genesis.json when no node answers there (or
 * `fromGenesis`), which holds the same facts as they were at the chain's start.
 */
export async function readChainFacts(home: string, rpcUrl: string, fromGenesis = false): Promise<ChainFacts> {
  if (!fromGenesis) {
    const live = await fromNode(rpcUrl).catch(() => undefined);
    if (live) return live;
  }
  return fromGenesisFile(home);
}

async function fromNode(rpcUrl: string): Promise<ChainFacts> {
  const comet = await Comet38Client.connect(rpcUrl);
  try {
    const status = await comet.status();
    const q = QueryClient.withExtensions(comet, setupBankExtension, setupStakingExtension);
    const [metadatas, params] = await Promise.all([q.bank.denomsMetadata(), q.staking.params()]);
    return {
      source: "node",
      chainId: status.nodeInfo.network,
      bondDenom: params.params!.bondDenom,
      denoms: metadatas.map(fromMetadata),
      cometbftVersion: status.nodeInfo.version,
    };
  } finally {
    comet.disconnect();
  }
}

function fromMetadata(m: Metadata): DenomInfo {
  return {
    base: m.base, display: m.display, name: m.name, symbol: m.symbol, description: m.description,
    units: m.denomUnits.map((u) => ({ denom: u.denom, exponent: u.exponent, aliases: u.aliases })),
  };
}

function fromGenesisFile(home: string): ChainFacts {
  let genesis: Record<string, any>;
  try {
    genesis = readGenesis(home);
  } catch (err) {
    throw new Error(`no node answers at this home's RPC and its genesis cannot be read: ${(err as Error).message}`);
  }
  const chainId = genesis.chain_id;
  const bondDenom = genesis.app_state?.staking?.params?.bond_denom;
  if (typeof chainId !== "string" || !chainId) throw new Error("genesis.json has no chain_id");
  if (typeof bondDenom !== "string" || !bondDenom) throw new Error("genesis.json has no app_state.staking.params.bond_denom");
  const list: unknown[] = Array.isArray(genesis.app_state?.bank?.denom_metadata) ? genesis.app_state.bank.denom_metadata : [];
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  const denoms = list.map((j: any): DenomInfo => ({
    base: str(j?.base), display: str(j?.display), name: str(j?.name), symbol: str(j?.symbol), description: str(j?.description),
    units: (Array.isArray(j?.denom_units) ? j.denom_units : []).map((u: any) => ({
      denom: str(u?.denom), exponent: Number(u?.exponent ?? 0), aliases: Array.isArray(u?.aliases) ? u.aliases.map(String) : [],
    })),
  }));
  return { source: "genesis", chainId, bondDenom, denoms: denoms.filter((d) => d.base) };
}
