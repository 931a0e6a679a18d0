import { moduleAddress } from "./address.ts";

/**
 * The app's module accounts by name (the SDK's maccPerms in app.go): one list in the
 * kernel, so a module that pays into or out of another's account needs nothing of that
 * module but its account name. The address of each is `moduleAddress(name)`.
 */
export { moduleAddress };

/** x/auth: where tx fees go (and mint's new coins, before distribution takes them). */
export const FEE_COLLECTOR = "fee_collector";
/** x/mint: mints each block's provision. */
export const MINT_MODULE = "mint";
/** x/staking: bonded and not-bonded delegations. */
export const BONDED_POOL = "bonded_tokens_pool";
export const NOT_BONDED_POOL = "not_bonded_tokens_pool";
/** x/distribution: rewards and commission not yet withdrawn, and the community pool. */
export const DISTRIBUTION_MODULE = "distribution";
/** x/gov: deposits, and the authority of every MsgUpdateParams and passed proposal. */
export const GOV_MODULE = "gov";
/** aro/settlement: node rewards wait here between being funded (inflation share, customers' payments) and paid. */
export const SETTLEMENT_POOL = "settlement";
/** aro/peernode: node bonds and backing; rewards waiting for withdrawal. */
export const PEERNODE_BOND_POOL = "peernode_bonds";
export const PEERNODE_REWARD_POOL = "peernode_rewards";
/** aro/watcher: watchers' stake; rewards waiting for withdrawal. */
export const WATCHER_STAKE_POOL = "watcher_stake";
export const WATCHER_REWARD_POOL = "watcher_rewards";
/** aro/market: customers' escrow. */
export const MARKET_ESCROW_POOL = "market_escrow";
