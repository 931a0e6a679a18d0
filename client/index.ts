/**
 * Everything a dApp needs to talk to Aro with CosmJS: `aroRegistry()` (the SDK's default
 * messages plus every Aro message) for SigningStargateClient, and `setupAroExtension`
 * for QueryClient.
 *
 *   const client = await SigningStargateClient.connectWithSigner(rpc, wallet, { registry: aroRegistry() });
 *   const q = QueryClient.withExtensions(comet, setupAroExtension);
 *   await q.aro.peernode.Node({ nodeId: 1n });
 */
import { Registry, type GeneratedType } from "@cosmjs/proto-signing";
import { createProtobufRpcClient, defaultRegistryTypes, type QueryClient } from "@cosmjs/stargate";
import { MsgUnjail, MsgUpdateParams as SlashingUpdateParams } from "cosmjs-types/cosmos/slashing/v1beta1/tx";
import { MsgUpdateParams as StakingUpdateParams } from "cosmjs-types/cosmos/staking/v1beta1/tx";
import { MsgUpdateParams as MintUpdateParams } from "cosmjs-types/cosmos/mint/v1beta1/tx";
import { MsgUpdateParams as BankUpdateParams } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { MsgUpdateParams as AuthUpdateParams } from "cosmjs-types/cosmos/auth/v1beta1/tx";
import { MsgCommunityPoolSpend, MsgDepositValidatorRewardsPool, MsgUpdateParams as DistributionUpdateParams } from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import { MsgCancelUpgrade, MsgSoftwareUpgrade } from "cosmjs-types/cosmos/upgrade/v1beta1/tx";
import * as peernodeTx from "../proto/gen/aro/peernode/v1/tx.ts";
import { QueryClientImpl as PeernodeQuery } from "../proto/gen/aro/peernode/v1/query.ts";
import * as marketTx from "../proto/gen/aro/market/v1/tx.ts";
import { QueryClientImpl as MarketQuery } from "../proto/gen/aro/market/v1/query.ts";
import * as gpowTx from "../proto/gen/aro/gpow/v1/tx.ts";
import { QueryClientImpl as GpowQuery } from "../proto/gen/aro/gpow/v1/query.ts";
import * as watcherTx from "../proto/gen/aro/watcher/v1/tx.ts";
import { QueryClientImpl as WatcherQuery } from "../proto/gen/aro/watcher/v1/query.ts";
import * as settlementTx from "../proto/gen/aro/settlement/v1/tx.ts";
import { QueryClientImpl as SettlementQuery } from "../proto/gen/aro/settlement/v1/query.ts";

/** Every message type of a generated tx module: the exports named Msg* (not their responses). */
function messagesOf(pkg: string, mod: Record<string, unknown>): Array<[string, GeneratedType]> {
  return Object.entries(mod)
    .filter(([name, v]) => /^Msg[A-Z]/.test(name) && !name.endsWith("Response") && typeof v === "object" && v !== null && "encode" in v)
    .map(([name, v]) => [`/${pkg}.${name}`, v as GeneratedType]);
}

/** SDK messages the chain serves that CosmJS's default registry lacks. */
export const sdkExtraTypes: ReadonlyArray<[string, GeneratedType]> = [
  ["/cosmos.slashing.v1beta1.MsgUnjail", MsgUnjail],
  ["/cosmos.staking.v1beta1.MsgUpdateParams", StakingUpdateParams],
  ["/cosmos.slashing.v1beta1.MsgUpdateParams", SlashingUpdateParams],
  ["/cosmos.mint.v1beta1.MsgUpdateParams", MintUpdateParams],
  ["/cosmos.bank.v1beta1.MsgUpdateParams", BankUpdateParams],
  ["/cosmos.auth.v1beta1.MsgUpdateParams", AuthUpdateParams],
  ["/cosmos.distribution.v1beta1.MsgUpdateParams", DistributionUpdateParams],
  ["/cosmos.distribution.v1beta1.MsgCommunityPoolSpend", MsgCommunityPoolSpend],
  ["/cosmos.distribution.v1beta1.MsgDepositValidatorRewardsPool", MsgDepositValidatorRewardsPool],
  ["/cosmos.upgrade.v1beta1.MsgSoftwareUpgrade", MsgSoftwareUpgrade],
  ["/cosmos.upgrade.v1beta1.MsgCancelUpgrade", MsgCancelUpgrade],
];

/** [typeUrl, type] for every Aro message. */
export const aroTypes: ReadonlyArray<[string, GeneratedType]> = [
  ...messagesOf("aro.peernode.v1", peernodeTx),
  ...messagesOf("aro.market.v1", marketTx),
  ...messagesOf("aro.gpow.v1", gpowTx),
  ...messagesOf("aro.watcher.v1", watcherTx),
  ...messagesOf("aro.settlement.v1", settlementTx),
];

/**
 * How often Aro's signing clients look for a broadcast tx in blocks. CosmJS's default
 * (3 s) makes every tx take at least 3 s; the agent sends its txs one at a time, so a
 * claim could queue past its window behind a few others.
 */
export const BROADCAST_POLL_MS = 300;

/** The SDK's default messages, the SDK messages CosmJS lacks that Aro serves, and every Aro message. */
export function aroRegistry(): Registry {
  return new Registry([...defaultRegistryTypes, ...sdkExtraTypes, ...aroTypes]);
}

export interface AroExtension {
  readonly aro: {
    readonly peernode: PeernodeQuery;
    readonly market: MarketQuery;
    readonly gpow: GpowQuery;
    readonly watcher: WatcherQuery;
    readonly settlement: SettlementQuery;
  };
}

/** QueryClient extension: `q.aro.<module>.<Method>(request)` for every Aro query. */
export function setupAroExtension(base: QueryClient): AroExtension {
  const rpc = createProtobufRpcClient(base);
  return {
    aro: { peernode: new PeernodeQuery(rpc), market: new MarketQuery(rpc), gpow: new GpowQuery(rpc), watcher: new WatcherQuery(rpc), settlement: new SettlementQuery(rpc) },
  };
}

export * as peernode from "../proto/gen/aro/peernode/v1/peernode.ts";
export * as peernodeMsgs from "../proto/gen/aro/peernode/v1/tx.ts";
export * as market from "../proto/gen/aro/market/v1/market.ts";
export * as marketMsgs from "../proto/gen/aro/market/v1/tx.ts";
export * as gpow from "../proto/gen/aro/gpow/v1/gpow.ts";
export * as gpowMsgs from "../proto/gen/aro/gpow/v1/tx.ts";
export * as watcher from "../proto/gen/aro/watcher/v1/watcher.ts";
export * as watcherMsgs from "../proto/gen/aro/watcher/v1/tx.ts";
export * as settlement from "../proto/gen/aro/settlement/v1/settlement.ts";
