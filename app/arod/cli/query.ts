import { Command } from "commander";
import type { Comet38Client } from "@cosmjs/tendermint-rpc";
import { QueryClientImpl as BankQuery } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { validateAddress, validateValoperAddress } from "../../../chain/address.ts";
import { action, connect, outputOption, print } from "../../common/cli.ts";
import { nodeOption } from "./options.ts";
import { aroQueries } from "./aro-query.ts";
import { abciRpc } from "./node-rpc.ts";
import { chainQueries } from "./chain-query.ts";

/** CosmJS's query client with the SDK modules' extensions (loaded when a query runs, not at start). */
async function queryClient(node: string) {
  const [{ Comet38Client }, { QueryClient, setupAuthExtension, setupBankExtension, setupDistributionExtension, setupGovExtension, setupSlashingExtension, setupStakingExtension, setupTxExtension }] =
    await Promise.all([import("@cosmjs/tendermint-rpc"), import("@cosmjs/stargate")]);
  let comet: Comet38Client;
  try {
    comet = await Comet38Client.connect(node);
  } catch (err) {
    throw new Error(`cannot reach a node at ${node}: ${(err as Error).message}`);
  }
  return { comet, q: QueryClient.withExtensions(comet, setupAuthExtension, setupBankExtension, setupTxExtension, setupStakingExtension, setupSlashingExtension, setupGovExtension, setupDistributionExtension) };
}

export function queryCommand(): Command {
  const query = new Command("query").alias("q").description("read chain state from a node");
  const bank = query.command("bank").description("balances and supply");
  bank
    .command("balances <address>")
    .description("all balances of an account")
    .addOption(nodeOption())
    .addOption(outputOption())
    .option("--denom <denom>", "only this denom")
    .action(action(async (address: string, o) => {
      validateAddress(address);
      // straight over CometBFT's abci_query: no CosmJS client to load, so a balance answers at once
      const bank = new BankQuery(abciRpc(o.node));
      const balances = o.denom
        ? [(await bank.Balance({ address, denom: o.denom })).balance ?? { denom: o.denom, amount: "0" }]
        : (await bank.AllBalances({ address, resolveDenom: false })).balances;
      print({ balances }, o.output);
    }));
  bank
    .command("total")
    .description("total supply of every denom")
    .addOption(nodeOption())
    .addOption(outputOption())
    .option("--denom <denom>", "only this denom")
    .action(action(async (o) => {
      const { comet, q } = await queryClient(o.node);
      const supply = o.denom ? [await q.bank.supplyOf(o.denom)] : (await q.bank.totalSupply()).supply;
      comet.disconnect();
      print({ supply }, o.output);
    }));
  bank
    .command("denom-metadata")
    .description("metadata of every denom (display units, decimals)")
    .addOption(nodeOption())
    .action(action(async (o) => {
      const { comet, q } = await queryClient(o.node);
      const metadatas = await q.bank.denomsMetadata();
      comet.disconnect();
      print({ metadatas });
    }));
  stakingQueries(query);
  aroQueries(query);
  chainQueries(query);
  query
    .command("account <address>")
    .description("account number, sequence and public key")
    .addOption(nodeOption())
    .action(action(async (address: string, o) => {
      validateAddress(address);
      const { comet, q } = await queryClient(o.node);
      const any = await q.auth.account(address);
      comet.disconnect();
      if (!any) throw new Error(`account ${address} not found`);
      const { accountFromAny } = await import("@cosmjs/stargate");
      print(accountFromAny(any));
    }));
  query
    .command("tx <hash>")
    .description("a committed transaction by hash")
    .addOption(nodeOption())
    .action(action(async (hash: string, o) => {
      if (!/^[0-9a-fA-F]{64}$/.test(hash)) throw new Error(`tx hash must be 64 hex digits, got ${hash}`);
      const client = await connect(o.node);
      const tx = await client.getTx(hash.toUpperCase());
      client.disconnect();
      if (!tx) throw new Error(`tx ${hash.toUpperCase()} not found`);
      print({ height: tx.height, txhash: tx.hash, code: tx.code, gas_wanted: tx.gasWanted, gas_used: tx.gasUsed, events: tx.events, tx: Buffer.from(tx.tx).toString("base64") });
    }));
  return query;
}

type Q = Awaited<ReturnType<typeof queryClient>>["q"];

/** `arod query staking ...`: decimals (shares, rates) print in the wire form, scaled by 10^18. */
function stakingQueries(query: Command): void {
  const staking = query.command("staking").description("validators, delegations, pool and params");
  const run = (fn: (q: Q, ...args: string[]) => Promise<unknown>) =>
    action(async (...args: unknown[]) => {
      const o = args.find((a) => a && typeof a === "object" && "node" in (a as object)) as { node: string };
      const { comet, q } = await queryClient(o.node);
      try {
        print(await fn(q, ...(args.filter((a) => typeof a === "string") as string[])));
      } finally {
        comet.disconnect();
      }
    });
  staking.command("validators").description("all validators (--status BOND_STATUS_BONDED|UNBONDING|UNBONDED)").addOption(nodeOption())
    .option("--status <status>", "only validators with this status", "")
    .action(async (o) => run((q) => q.staking.validators(o.status as never))(o));
  staking.command("validator <validator>").description("one validator").addOption(nodeOption())
    .action(run((q, v) => (validateValoperAddress(v), q.staking.validator(v))));
  staking.command("delegation <delegator> <validator>").description("one delegation and its balance").addOption(nodeOption())
    .action(run((q, d, v) => (validateAddress(d), validateValoperAddress(v), q.staking.delegation(d, v))));
  staking.command("delegations <delegator>").description("all delegations of an account").addOption(nodeOption())
    .action(run((q, d) => (validateAddress(d), q.staking.delegatorDelegations(d))));
  staking.command("unbonding-delegation <delegator> <validator>").description("unbonding entries").addOption(nodeOption())
    .action(run((q, d, v) => (validateAddress(d), validateValoperAddress(v), q.staking.unbondingDelegation(d, v))));
  staking.command("pool").description("bonded and not-bonded tokens").addOption(nodeOption()).action(run((q) => q.staking.pool()));
  staking.command("params").description("staking parameters").addOption(nodeOption()).action(run((q) => q.staking.params()));

  const slashing = query.command("slashing").description("validators' signing records and slashing parameters");
  slashing.command("signing-info <arovalcons>").description("missed blocks, jail time, tombstone of one validator").addOption(nodeOption())
    .action(run((q, cons) => q.slashing.signingInfo(cons)));
  slashing.command("signing-infos").description("every validator's signing record").addOption(nodeOption()).action(run((q) => q.slashing.signingInfos()));
  slashing.command("params").description("slashing parameters").addOption(nodeOption()).action(run((q) => q.slashing.params()));

  const distribution = query.command("distribution").description("rewards, commission, slashes and the community pool (amounts with 18 decimals, as on the wire)");
  distribution.command("rewards <delegator> [validator]").description("pending rewards of one delegation, or of all with their total").addOption(nodeOption())
    .action(run((q, d, v) => (validateAddress(d), v ? (validateValoperAddress(v), q.distribution.delegationRewards(d, v)) : q.distribution.delegationTotalRewards(d))));
  distribution.command("commission <validator>").description("a validator's accumulated commission").addOption(nodeOption())
    .action(run((q, v) => (validateValoperAddress(v), q.distribution.validatorCommission(v))));
  distribution.command("validator-outstanding-rewards <validator>").description("rewards held for a validator and its delegators").addOption(nodeOption())
    .action(run((q, v) => (validateValoperAddress(v), q.distribution.validatorOutstandingRewards(v))));
  distribution.command("slashes <validator> <start-height> <end-height>").description("a validator's slashes between two heights").addOption(nodeOption())
    .action(run((q, v, a, b) => {
      validateValoperAddress(v);
      if (!/^\d+$/.test(a) || !/^\d+$/.test(b)) throw new Error("heights must be whole numbers");
      return q.distribution.validatorSlashes(v, Number(a), Number(b));
    }));
  distribution.command("withdraw-addr <delegator>").description("where a delegator's rewards go").addOption(nodeOption())
    .action(run((q, d) => (validateAddress(d), q.distribution.delegatorWithdrawAddress(d))));
  distribution.command("community-pool").description("coins in the community pool").addOption(nodeOption()).action(run((q) => q.distribution.communityPool()));
  distribution.command("params").description("distribution parameters").addOption(nodeOption()).action(run((q) => q.distribution.params()));

  const gov = query.command("gov").description("proposals, votes, deposits and tallies");
  gov.command("proposals").description("every proposal").addOption(nodeOption()).action(run((q) => q.gov.proposals(0, "", "")));
  gov.command("proposal <id>").description("one proposal").addOption(nodeOption()).action(run((q, id) => q.gov.proposal(id)));
  gov.command("votes <id>").description("votes on a proposal").addOption(nodeOption()).action(run((q, id) => q.gov.votes(id)));
  gov.command("tally <id>").description("current (or final) tally").addOption(nodeOption()).action(run((q, id) => q.gov.tally(id)));
  gov.command("deposits <id>").description("deposits on a proposal").addOption(nodeOption()).action(run((q, id) => q.gov.deposits(id)));
  gov.command("params").description("voting, deposit and tally parameters").addOption(nodeOption())
    .action(run(async (q) => ({ voting: await q.gov.params("voting"), deposit: await q.gov.params("deposit"), tallying: await q.gov.params("tallying") })));
}
