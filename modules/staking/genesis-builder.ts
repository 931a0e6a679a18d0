import { moduleAddress } from "../../chain/module-accounts.ts";
import { toValoper, validateAddress } from "../../chain/address.ts";
import { decFromString, decToString } from "../../chain/dec.ts";
import { NOT_BONDED_POOL } from "./keys.ts";
import { ED25519_PUBKEY_TYPE } from "./keeper.ts";

export interface GenesisValidatorOptions {
  /** Operator account (aro1...), funded in genesis. */
  readonly operator: string;
  /** base64 ed25519 consensus key (from config/priv_validator_key.json). */
  readonly consensusKey: string;
  readonly selfBond: bigint;
  /** Denom of the self-bond; must be the bond denom. */
  readonly denom?: string;
  readonly moniker: string;
  readonly commissionRate?: string;
  readonly commissionMaxRate?: string;
  readonly commissionMaxChangeRate?: string;
  readonly minSelfDelegation?: bigint;
}

type Json = Record<string, any>;

/**
 * `arod genesis add-validator`: turns part of the operator's genesis balance into a
 * self-delegation of a new validator (what gentx + collect-gentxs do in the SDK).
 * The tokens move to the not-bonded pool; InitChain bonds the top validators and
 * hands CometBFT the set, so genesis.json's own `validators` list is emptied.
 */
export function addGenesisValidator(genesis: Json, o: GenesisValidatorOptions): string {
  validateAddress(o.operator, "operator");
  const { bank, staking } = genesis.app_state;
  const denom: string = staking.params?.bond_denom ?? "uaro";
  if (o.denom !== undefined && o.denom !== denom) throw new Error(`the self-bond must be in the bond denom ${denom}, got ${o.denom}`);
  const valoper = toValoper(o.operator);
  if (staking.validators.some((v: Json) => v.operator_address === valoper)) throw new Error(`${o.operator} is already a genesis validator`);
  if (staking.validators.some((v: Json) => v.consensus_pubkey?.key === o.consensusKey)) throw new Error("this consensus key already belongs to a genesis validator");
  if (o.selfBond <= 0n) throw new Error("the self-bond must be positive");
  const min = o.minSelfDelegation ?? 1n;
  if (o.selfBond < min) throw new Error(`the self-bond ${o.selfBond} is below --min-self-delegation ${min}`);

  const entry = bank.balances.find((b: Json) => b.address === o.operator);
  const coin = entry?.coins.find((c: Json) => c.denom === denom);
  const have = coin ? BigInt(coin.amount) : 0n;
  if (have < o.selfBond) throw new Error(`${o.operator} has ${have}${denom} in genesis, needs ${o.selfBond}${denom}: run \`arod genesis add-account\` first`);
  coin.amount = (have - o.selfBond).toString();
  if (coin.amount === "0") entry.coins = entry.coins.filter((c: Json) => c !== coin);
  const pool = moduleAddress(NOT_BONDED_POOL);
  let poolEntry = bank.balances.find((b: Json) => b.address === pool);
  if (!poolEntry) bank.balances.push((poolEntry = { address: pool, coins: [] }));
  const poolCoin = poolEntry.coins.find((c: Json) => c.denom === denom);
  if (poolCoin) poolCoin.amount = (BigInt(poolCoin.amount) + o.selfBond).toString();
  else poolEntry.coins.push({ denom, amount: o.selfBond.toString() });

  const rate = (s: string | undefined, d: string) => decToString(decFromString(s ?? d));
  const shares = decToString(o.selfBond * 10n ** 18n);
  staking.validators.push({
    operator_address: valoper,
    consensus_pubkey: { "@type": ED25519_PUBKEY_TYPE, key: o.consensusKey },
    jailed: false,
    status: "BOND_STATUS_UNBONDED",
    tokens: o.selfBond.toString(),
    delegator_shares: shares,
    description: { moniker: o.moniker, identity: "", website: "", security_contact: "", details: "" },
    unbonding_height: "0",
    unbonding_time: "1970-01-01T00:00:00Z",
    commission: {
      commission_rates: { rate: rate(o.commissionRate, "0.1"), max_rate: rate(o.commissionMaxRate, "0.2"), max_change_rate: rate(o.commissionMaxChangeRate, "0.01") },
      update_time: genesis.genesis_time,
    },
    min_self_delegation: min.toString(),
  });
  staking.delegations.push({ delegator_address: o.operator, validator_address: valoper, shares });
  genesis.validators = [];
  return valoper;
}
