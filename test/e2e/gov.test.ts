import assert from "node:assert/strict";
import { GasPrice, QueryClient, SigningStargateClient, defaultRegistryTypes, setupGovExtension, setupStakingExtension, coin } from "@cosmjs/stargate";
import { Registry } from "@cosmjs/proto-signing";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { MsgUpdateParams as StakingUpdateParams } from "cosmjs-types/cosmos/staking/v1beta1/tx";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { MsgCommunityPoolSpend } from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import { ProposalStatus, VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { toValoper } from "../../chain/address.ts";
import { govAuthority } from "../../chain/params-route.ts";
import { eventually } from "../support/eventually.ts";
import { LocalNode, VALIDATOR_SELF_BOND, newAccount, type Funded } from "../../app/testnet/local-node.ts";

describe("e2e: x/gov — proposals that run messages as the gov authority", function () {
  let node: LocalNode;
  let dave: Funded; // delegator to the validator, votes for himself
  let erin: Funded; // proposer and depositor
  let validator: SigningStargateClient;
  let daveClient: SigningStargateClient;
  let erinClient: SigningStargateClient;
  let comet: Comet38Client;
  let q: ReturnType<typeof QueryClient.withExtensions<ReturnType<typeof setupGovExtension>, ReturnType<typeof setupStakingExtension>>>;
  const opts = { gasPrice: GasPrice.fromString("0.025uaro"), broadcastPollIntervalMs: 300 };

  before(async () => {
    dave = await newAccount();
    erin = await newAccount();
    node = await LocalNode.create({
      funded: [{ address: dave.address, coins: "80000000000uaro" }, { address: erin.address, coins: "1000000000uaro" }],
      editGenesis: (g) => Object.assign(g.app_state.gov.params, { voting_period: "12s", max_deposit_period: "12s", min_deposit: [{ denom: "uaro", amount: "10000000" }] }),
    });
    await node.start();
    validator = await SigningStargateClient.connectWithSigner(node.rpc, node.operator.wallet, opts);
    daveClient = await SigningStargateClient.connectWithSigner(node.rpc, dave.wallet, opts);
    // a dApp adds the SDK messages CosmJS's default registry lacks
    const registry = new Registry([...defaultRegistryTypes, ["/cosmos.staking.v1beta1.MsgUpdateParams", StakingUpdateParams]]);
    erinClient = await SigningStargateClient.connectWithSigner(node.rpc, erin.wallet, { ...opts, registry });
    comet = await Comet38Client.connect(node.rpc);
    q = QueryClient.withExtensions(comet, setupGovExtension, setupStakingExtension);
  });
  after(async () => {
    for (const c of [validator, daveClient, erinClient]) c?.disconnect();
    comet?.disconnect();
    await node?.cleanup();
  });

  const submit = (messages: Array<{ typeUrl: string; value: Uint8Array }>, deposit: string, title = "a proposal") => erinClient.signAndBroadcast(erin.address, [{
    typeUrl: "/cosmos.gov.v1.MsgSubmitProposal",
    value: { messages, initialDeposit: [coin(deposit, "uaro")], proposer: erin.address, metadata: "", title, summary: "why", expedited: false },
  }], "auto");
  const proposalId = (r: { events: readonly { type: string; attributes: readonly { key: string; value: string }[] }[] }) =>
    BigInt(r.events.find((e) => e.type === "submit_proposal")!.attributes.find((a) => a.key === "proposal_id")!.value);

  it("a parameter change and a community pool spend pass by vote and take effect; a delegator's own vote overrides his validator's", async () => {
    const params = (await q.staking.params()).params;
    assert.equal(params.maxValidators, 100);
    const change = { typeUrl: "/cosmos.staking.v1beta1.MsgUpdateParams", value: StakingUpdateParams.encode({ authority: govAuthority(), params: { ...params, maxValidators: 50 } }).finish() };
    const d = await daveClient.delegateTokens(dave.address, toValoper(node.operator.address), coin("50000000000", "uaro"), "auto");
    assert.equal(d.code, 0, d.rawLog);
    const grantee = (await newAccount()).address;
    const spend = { typeUrl: "/cosmos.distribution.v1beta1.MsgCommunityPoolSpend", value: MsgCommunityPoolSpend.encode({ authority: govAuthority(), recipient: grantee, amount: [coin("1000", "uaro")] }).finish() };
    const r = await submit([change, spend], "10000000", "fewer validators, and a grant");
    assert.equal(r.code, 0, r.rawLog);
    const id = proposalId(r);
    assert.equal((await q.gov.proposal(id.toString())).proposal.status, ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD, "the initial deposit met min_deposit");

    const yes = await validator.signAndBroadcast(node.operator.address, [{ typeUrl: "/cosmos.gov.v1beta1.MsgVote", value: { proposalId: id, voter: node.operator.address, option: VoteOption.VOTE_OPTION_YES } }], "auto");
    assert.equal(yes.code, 0, yes.rawLog);
    const no = await daveClient.signAndBroadcast(dave.address, [{ typeUrl: "/cosmos.gov.v1.MsgVote", value: { proposalId: id, voter: dave.address, option: VoteOption.VOTE_OPTION_NO, metadata: "" } }], "auto");
    assert.equal(no.code, 0, no.rawLog);
    const live = (await q.gov.tally(id.toString())).tally;
    assert.equal(live.yes, VALIDATOR_SELF_BOND.toString(), "the validator votes only with the stake of those who did not vote themselves");
    assert.equal(live.no, "50000000000");
    assert.equal((await q.gov.votes(id.toString())).votes.length, 2);

    await eventually(async () => assert.equal((await q.gov.proposal(id.toString())).proposal.status, ProposalStatus.PROPOSAL_STATUS_PASSED), 40_000, 300);
    assert.equal((await q.staking.params()).params.maxValidators, 50, "the passed proposal ran MsgUpdateParams as gov");
    assert.equal((await validator.getBalance(grantee, "uaro")).amount, "1000", "and paid the grant from the community pool");
    const final = (await q.gov.proposal(id.toString())).proposal.finalTallyResult;
    assert.equal(final.yes, VALIDATOR_SELF_BOND.toString());
  });

  it("a proposal that misses quorum is rejected and its deposit refunded", async () => {
    const send = { typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: MsgSend.encode({ fromAddress: govAuthority(), toAddress: erin.address, amount: [coin("1", "uaro")] }).finish() };
    const before = BigInt((await erinClient.getBalance(erin.address, "uaro")).amount);
    const r = await submit([send], "10000000", "nobody will vote");
    assert.equal(r.code, 0, r.rawLog);
    const id = proposalId(r);
    const fee = BigInt(r.gasWanted * 25n + 999n) / 1000n;
    assert.equal(BigInt((await erinClient.getBalance(erin.address, "uaro")).amount), before - 10_000_000n - fee, "the deposit is held");
    await eventually(async () => assert.equal((await q.gov.proposal(id.toString())).proposal.status, ProposalStatus.PROPOSAL_STATUS_REJECTED), 40_000, 300);
    assert.equal(BigInt((await erinClient.getBalance(erin.address, "uaro")).amount), before - fee, "the deposit came back");
    const all = await q.gov.proposals(ProposalStatus.PROPOSAL_STATUS_UNSPECIFIED, "", "");
    assert.equal(all.proposals.length, 2);
    const tallying = await q.gov.params("tallying");
    assert.ok(tallying.tallyParams.quorum.length > 0);
  });

  it("refuses bad input with gov codes and changes nothing", async () => {
    const params = (await q.staking.params()).params;
    // a user cannot sign MsgUpdateParams: only the gov account can
    await assert.rejects(erinClient.signAndBroadcast(erin.address, [{ typeUrl: "/cosmos.staking.v1beta1.MsgUpdateParams", value: { authority: erin.address, params: { ...params, maxValidators: 1 } } }], "auto"), /invalid authority/);
    // a proposal whose message is not signed by gov
    const notGov = { typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: MsgSend.encode({ fromAddress: erin.address, toAddress: dave.address, amount: [coin("1", "uaro")] }).finish() };
    await assert.rejects(submit([notGov], "10000000"), /must be signed by/);
    // a proposal with an invalid message
    const bad = { typeUrl: "/cosmos.staking.v1beta1.MsgUpdateParams", value: StakingUpdateParams.encode({ authority: govAuthority(), params: { ...params, maxValidators: 0 } }).finish() };
    await assert.rejects(submit([bad], "10000000"), /invalid proposal message/);
    await assert.rejects(submit([{ typeUrl: "/nope.MsgNope", value: new Uint8Array() }], "10000000"), /not recognized by router/);
    // votes outside the voting period
    const vote = (id: bigint) => daveClient.signAndBroadcast(dave.address, [{ typeUrl: "/cosmos.gov.v1.MsgVote", value: { proposalId: id, voter: dave.address, option: VoteOption.VOTE_OPTION_YES, metadata: "" } }], "auto");
    await assert.rejects(vote(999n), /unknown proposal/);
    await assert.rejects(vote(1n), /not in its voting period/);
    assert.equal((await q.staking.params()).params.maxValidators, 50);
  });
});
