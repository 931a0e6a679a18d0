import { Command } from "commander";
import { QueryClient, setupDistributionExtension } from "@cosmjs/stargate";
import fs from "node:fs";
import { MsgUnjail } from "cosmjs-types/cosmos/slashing/v1beta1/tx";
import { aroRegistry } from "../../../client/index.ts";
import { aroTxs } from "./aro-tx.ts";
import path from "node:path";
import { MsgCreateValidator } from "cosmjs-types/cosmos/staking/v1beta1/tx";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { toValoper, validateAddress, validateValoperAddress } from "../../../chain/address.ts";
import { decFromString } from "../../../chain/dec.ts";
import { homePaths } from "../node/home.ts";
import { parseCoins, toWireCoins } from "../../../chain/coins.ts";
import { action, bondCoin } from "../../common/cli.ts";
import { broadcast, txOptions } from "./broadcast.ts";
import { openKeyring } from "./options.ts";
import { broadcastCommand, signCommand } from "./offline-tx.ts";

/** Every message the chain serves (CosmJS's defaults, the SDK messages it lacks, Aro's). */
const registry = aroRegistry();

function stakingTx(tx: Command): void {
  const staking = tx.command("staking").description("validators and delegations");
  txOptions(staking.command("create-validator"))
    .description("make a node a validator: its consensus key (config/priv_validator_key.json of --home, or --pubkey) bonded by --from")
    .requiredOption("--from <key>", "operator key name or address")
    .requiredOption("--amount <coin>", "self-delegation, e.g. 1000000000uaro")
    .requiredOption("--moniker <name>", "validator name")
    .option("--pubkey <base64>", "ed25519 consensus public key (default: the node's)")
    .option("--commission-rate <dec>", "commission rate", "0.1")
    .option("--commission-max-rate <dec>", "highest commission rate ever allowed", "0.2")
    .option("--commission-max-change-rate <dec>", "largest change of the rate per day", "0.01")
    .option("--min-self-delegation <amount>", "self-delegation below which the validator is jailed", "1")
    .option("--details <text>", "description", "")
    .option("--website <url>", "website", "")
    .action(action(async (o) => {
      const pubkey = o.pubkey ?? JSON.parse(fs.readFileSync(path.join(homePaths(o.home).config, "priv_validator_key.json"), "utf8")).pub_key.value;
      const key = Buffer.from(pubkey, "base64");
      if (key.length !== 32) throw new Error("--pubkey must be a base64 32-byte ed25519 key");
      await broadcast(o, o.from, (address) => [{
        typeUrl: "/cosmos.staking.v1beta1.MsgCreateValidator",
        value: MsgCreateValidator.fromPartial({
          description: { moniker: o.moniker, details: o.details, website: o.website },
          commission: { rate: decFromString(o.commissionRate).toString(), maxRate: decFromString(o.commissionMaxRate).toString(), maxChangeRate: decFromString(o.commissionMaxChangeRate).toString() },
          minSelfDelegation: o.minSelfDelegation,
          validatorAddress: toValoper(address),
          pubkey: { typeUrl: "/cosmos.crypto.ed25519.PubKey", value: Ed25519PubKey.encode({ key }).finish() },
          value: bondCoin(o.amount),
        }),
      }]);
    }));
  txOptions(staking.command("delegate <validator> <amount>"))
    .description("delegate to a validator (arovaloper1...)")
    .requiredOption("--from <key>", "delegator key name or address")
    .action(action(async (validator: string, amount: string, o) => {
      validateValoperAddress(validator);
      await broadcast(o, o.from, (address) => [{ typeUrl: "/cosmos.staking.v1beta1.MsgDelegate", value: { delegatorAddress: address, validatorAddress: validator, amount: bondCoin(amount) } }]);
    }));
  txOptions(staking.command("unbond <validator> <amount>"))
    .description("undelegate; the tokens return after the unbonding period")
    .requiredOption("--from <key>", "delegator key name or address")
    .action(action(async (validator: string, amount: string, o) => {
      validateValoperAddress(validator);
      await broadcast(o, o.from, (address) => [{ typeUrl: "/cosmos.staking.v1beta1.MsgUndelegate", value: { delegatorAddress: address, validatorAddress: validator, amount: bondCoin(amount) } }]);
    }));
  txOptions(staking.command("redelegate <src-validator> <dst-validator> <amount>"))
    .description("move a delegation to another validator at once")
    .requiredOption("--from <key>", "delegator key name or address")
    .action(action(async (src: string, dst: string, amount: string, o) => {
      validateValoperAddress(src, "source validator");
      validateValoperAddress(dst, "destination validator");
      await broadcast(o, o.from, (address) => [{
        typeUrl: "/cosmos.staking.v1beta1.MsgBeginRedelegate",
        value: { delegatorAddress: address, validatorSrcAddress: src, validatorDstAddress: dst, amount: bondCoin(amount) },
      }]);
    }));
}

function distributionTx(tx: Command): void {
  const distribution = tx.command("distribution").description("rewards, commission and the community pool");
  txOptions(distribution.command("withdraw-rewards [validator]"))
    .description("withdraw the rewards of one delegation (or, with --all, of every delegation)")
    .requiredOption("--from <key>", "delegator key name or address")
    .option("--all", "every validator the delegator is delegated to")
    .option("--commission", "also withdraw the validator's commission (the operator of <validator> signs)")
    .action(action(async (validator: string | undefined, o) => {
      if (!validator && !o.all) throw new Error("give a validator (arovaloper1...) or --all");
      if (validator && o.all) throw new Error("give either a validator or --all, not both");
      if (validator) validateValoperAddress(validator);
      const validators = validator ? [validator] : await delegatedValidators(o);
      if (validators.length === 0) throw new Error("no delegations to withdraw rewards from");
      await broadcast(o, o.from, (address) => [
        ...validators.map((v) => ({ typeUrl: "/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward", value: { delegatorAddress: address, validatorAddress: v } })),
        ...(o.commission && validator ? [{ typeUrl: "/cosmos.distribution.v1beta1.MsgWithdrawValidatorCommission", value: { validatorAddress: validator } }] : []),
      ]);
    }));
  txOptions(distribution.command("withdraw-commission"))
    .description("withdraw the commission of the validator --from operates")
    .requiredOption("--from <key>", "operator key name or address")
    .action(action(async (o) => {
      await broadcast(o, o.from, (address) => [{ typeUrl: "/cosmos.distribution.v1beta1.MsgWithdrawValidatorCommission", value: { validatorAddress: toValoper(address) } }]);
    }));
  txOptions(distribution.command("set-withdraw-addr <address>"))
    .description("send future rewards and commission to another account")
    .requiredOption("--from <key>", "delegator key name or address")
    .action(action(async (to: string, o) => {
      validateAddress(to, "withdraw address");
      await broadcast(o, o.from, (address) => [{ typeUrl: "/cosmos.distribution.v1beta1.MsgSetWithdrawAddress", value: { delegatorAddress: address, withdrawAddress: to } }]);
    }));
  txOptions(distribution.command("fund-community-pool <amount>"))
    .description("give coins to the community pool")
    .requiredOption("--from <key>", "depositor key name or address")
    .action(action(async (amount: string, o) => {
      const coins = toWireCoins(parseCoins(amount));
      await broadcast(o, o.from, (address) => [{ typeUrl: "/cosmos.distribution.v1beta1.MsgFundCommunityPool", value: { depositor: address, amount: coins } }]);
    }));
}

/** The validators the --from account delegates to (for withdraw-rewards --all). */
async function delegatedValidators(o: any): Promise<string[]> {
  const wallet = await openKeyring(o.home, o.keyringBackend).signer(o.from);
  const [account] = await wallet.getAccounts();
  const comet = await Comet38Client.connect(o.node).catch((err) => {
    throw new Error(`cannot reach a node at ${o.node}: ${(err as Error).message}`);
  });
  try {
    return (await QueryClient.withExtensions(comet, setupDistributionExtension).distribution.delegatorValidators(account.address)).validators;
  } finally {
    comet.disconnect();
  }
}

/**
 * `arod tx gov submit-proposal FILE.json`: the SDK's proposal file:
 * {"messages": [{"@type": "/cosmos.staking.v1beta1.MsgUpdateParams", ...}], "deposit": "10000000uaro", "title": "...", "summary": "...", "metadata": ""}
 * Each message is written as protobuf JSON with "@type" (camelCase or snake_case fields).
 */
function proposalMessages(file: string) {
  let p: any;
  try {
    p = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`cannot read proposal file ${file}: ${(err as Error).message}`);
  }
  if (!Array.isArray(p.messages) || p.messages.length === 0) throw new Error(`${file}: "messages" must be a non-empty list`);
  if (!p.title) throw new Error(`${file}: "title" is required`);
  const messages = p.messages.map((m: any, i: number) => {
    const type = registry.lookupType(m["@type"]);
    if (!type || !("fromJSON" in type)) throw new Error(`${file}: message ${i} has an unknown "@type" ${JSON.stringify(m["@type"])}`);
    const camel = JSON.parse(JSON.stringify(m, (_k, v) => (v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()), x])) : v)));
    const value = (type as any).fromJSON(camel);
    return { typeUrl: m["@type"], value: (type as any).encode(value).finish() };
  });
  return { messages, deposit: p.deposit ? toWireCoins(parseCoins(p.deposit)) : [], title: String(p.title), summary: String(p.summary ?? ""), metadata: String(p.metadata ?? "") };
}

const VOTE_OPTIONS: Record<string, number> = { yes: 1, abstain: 2, no: 3, no_with_veto: 4 };

function govTx(tx: Command): void {
  const gov = tx.command("gov").description("governance");
  txOptions(gov.command("submit-proposal <file>"))
    .description("submit a proposal from a JSON file (messages run as the gov account if it passes)")
    .requiredOption("--from <key>", "proposer key name or address")
    .action(action(async (file: string, o) => {
      const p = proposalMessages(file);
      await broadcast(o, o.from, (address) => [{
        typeUrl: "/cosmos.gov.v1.MsgSubmitProposal",
        value: { messages: p.messages, initialDeposit: p.deposit, proposer: address, metadata: p.metadata, title: p.title, summary: p.summary, expedited: false },
      }]);
    }));
  txOptions(gov.command("deposit <proposal-id> <amount>"))
    .description("add to a proposal's deposit")
    .requiredOption("--from <key>", "depositor key name or address")
    .action(action(async (id: string, amount: string, o) => {
      if (!/^\d+$/.test(id)) throw new Error(`proposal id must be a number, got ${id}`);
      await broadcast(o, o.from, (address) => [{ typeUrl: "/cosmos.gov.v1.MsgDeposit", value: { proposalId: BigInt(id), depositor: address, amount: toWireCoins(parseCoins(amount)) } }]);
    }));
  txOptions(gov.command("vote <proposal-id> <option>"))
    .description("vote yes, no, abstain or no_with_veto")
    .requiredOption("--from <key>", "voter key name or address")
    .action(action(async (id: string, option: string, o) => {
      if (!/^\d+$/.test(id)) throw new Error(`proposal id must be a number, got ${id}`);
      const opt = VOTE_OPTIONS[option.toLowerCase()];
      if (!opt) throw new Error(`option must be one of ${Object.keys(VOTE_OPTIONS).join(", ")}`);
      await broadcast(o, o.from, (address) => [{ typeUrl: "/cosmos.gov.v1.MsgVote", value: { proposalId: BigInt(id), voter: address, option: opt, metadata: "" } }]);
    }));
}

export function txCommand(): Command {
  const tx = new Command("tx").description("sign and broadcast transactions (--generate-only, sign and broadcast: offline signing)");
  tx.addCommand(signCommand());
  tx.addCommand(broadcastCommand());
  stakingTx(tx);
  distributionTx(tx);
  aroTxs(tx);
  govTx(tx);
  txOptions(tx.command("slashing").description("jailing").command("unjail"))
    .description("bring a jailed validator back (after its jail time; its operator signs)")
    .requiredOption("--from <key>", "the validator's operator key name or address")
    .action(action(async (o) => {
      await broadcast(o, o.from, (address) => [{ typeUrl: "/cosmos.slashing.v1beta1.MsgUnjail", value: MsgUnjail.fromPartial({ validatorAddr: toValoper(address) }) }]);
    }));
  const bank = tx.command("bank").description("bank transactions");
  txOptions(bank.command("send <from> <to> <amount>"))
    .description("send coins, e.g. `arod tx bank send alice aro1... 1000uaro` (from: key name or address)")
    .action(action(async (from: string, to: string, amount: string, o) => {
      validateAddress(to, "recipient");
      const coins = toWireCoins(parseCoins(amount));
      await broadcast(o, from, (address) => [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: address, toAddress: to, amount: coins } }]);
    }));
  return tx;
}
