import assert from "node:assert/strict";
import { Secp256k1HdWallet } from "@cosmjs/amino";
import {
  AminoTypes, GasPrice, QueryClient, SigningStargateClient, coin, coins, createDefaultAminoConverters, setupGovExtension, setupStakingExtension,
} from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { ProposalStatus, VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { MsgCommunityPoolSpend } from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import { AuthInfo, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { toValoper } from "../../chain/address.ts";
import { govAuthority } from "../../chain/params-route.ts";
import { aroAminoConverters } from "../../client/amino.ts";
import { aroRegistry, setupAroExtension } from "../../client/index.ts";
import { LocalNode, newAccount, type Funded } from "../../app/testnet/local-node.ts";
import { eventually } from "../support/eventually.ts";
import { signAminoTx } from "../support/sign-amino.ts";

describe("e2e: SIGN_MODE_LEGACY_AMINO_JSON (Ledger) with CosmJS's amino signer", function () {
  let node: LocalNode;
  let alice: Funded;
  let bob: Funded;
  let aliceAmino: SigningStargateClient;
  let operatorAmino: SigningStargateClient;
  let aliceDirect: SigningStargateClient;
  let comet: Comet38Client;
  let q: ReturnType<typeof QueryClient.withExtensions<ReturnType<typeof setupGovExtension>, ReturnType<typeof setupStakingExtension>, ReturnType<typeof setupAroExtension>>>;
  const opts = { gasPrice: GasPrice.fromString("0.025uaro"), broadcastPollIntervalMs: 300, registry: aroRegistry() };
  const aminoTypes = new AminoTypes({ ...createDefaultAminoConverters(), ...aroAminoConverters() });

  before(async () => {
    alice = await newAccount();
    bob = await newAccount();
    node = await LocalNode.create({
      funded: [{ address: alice.address, coins: "100000000000uaro" }],
      editGenesis: (g) => Object.assign(g.app_state.gov.params, { voting_period: "600s", min_deposit: [{ denom: "uaro", amount: "10000000" }] }),
    });
    await node.start();
    const aminoWallet = (mnemonic: string) => Secp256k1HdWallet.fromMnemonic(mnemonic, { prefix: "aro" });
    aliceAmino = await SigningStargateClient.connectWithSigner(node.rpc, await aminoWallet(alice.mnemonic), { ...opts, aminoTypes });
    operatorAmino = await SigningStargateClient.connectWithSigner(node.rpc, await aminoWallet(node.operator.mnemonic), { ...opts, aminoTypes });
    aliceDirect = await SigningStargateClient.connectWithSigner(node.rpc, alice.wallet, opts);
    comet = await Comet38Client.connect(node.rpc);
    q = QueryClient.withExtensions(comet, setupGovExtension, setupStakingExtension, setupAroExtension);
  });
  after(async () => {
    for (const c of [aliceAmino, operatorAmino, aliceDirect]) c?.disconnect();
    comet?.disconnect();
    await node?.cleanup();
  });

  const signModeOf = async (hash: string) => {
    const tx = await aliceAmino.getTx(hash);
    return AuthInfo.decode(TxRaw.decode(tx!.tx).authInfoBytes).signerInfos[0].modeInfo?.single?.mode;
  };

  it("lands a bank send, a delegation, an Aro message and a direct-mode tx beside them", async () => {
    const send = await aliceAmino.sendTokens(alice.address, bob.address, coins(12345, "uaro"), "auto", "ledger <&> memo");
    assert.equal(send.code, 0, send.rawLog);
    assert.equal(await signModeOf(send.transactionHash), SignMode.SIGN_MODE_LEGACY_AMINO_JSON);
    assert.equal((await aliceAmino.getBalance(bob.address, "uaro")).amount, "12345");

    const valoper = toValoper(node.operator.address);
    const delegate = await aliceAmino.delegateTokens(alice.address, valoper, coin("2000000", "uaro"), "auto");
    assert.equal(delegate.code, 0, delegate.rawLog);
    assert.equal((await q.staking.delegation(alice.address, valoper)).delegationResponse?.balance?.amount, "2000000");

    const escrow = await aliceAmino.signAndBroadcast(alice.address, [{ typeUrl: "/aro.market.v1.MsgDepositEscrow", value: { owner: alice.address, amount: coin("777000", "uaro") } }], "auto");
    assert.equal(escrow.code, 0, escrow.rawLog);
    assert.equal((await q.aro.market.Escrow({ owner: alice.address })).escrow?.balance, "777000");

    const direct = await aliceDirect.sendTokens(alice.address, bob.address, coins(5, "uaro"), "auto");
    assert.equal(direct.code, 0, direct.rawLog);
    assert.equal(await signModeOf(direct.transactionHash), SignMode.SIGN_MODE_DIRECT);
    assert.equal((await aliceAmino.getBalance(bob.address, "uaro")).amount, "12350");
  });

  it("submits a gov v1 proposal and votes on it (v1beta1 and v1 MsgVote); a validator withdraws its commission by the SDK's amino name", async () => {
    const spend = { typeUrl: "/cosmos.distribution.v1beta1.MsgCommunityPoolSpend", value: MsgCommunityPoolSpend.encode({ authority: govAuthority(), recipient: bob.address, amount: [coin("1", "uaro")] }).finish() };
    const submit = await aliceAmino.signAndBroadcast(alice.address, [{
      typeUrl: "/cosmos.gov.v1.MsgSubmitProposal",
      value: { messages: [spend], initialDeposit: [coin("10000000", "uaro")], proposer: alice.address, metadata: "ipfs://x", title: "a grant", summary: "signed on a Ledger", expedited: false },
    }], "auto");
    assert.equal(submit.code, 0, submit.rawLog);
    const id = BigInt(submit.events.find((e) => e.type === "submit_proposal")!.attributes.find((a) => a.key === "proposal_id")!.value);
    const proposal = (await q.gov.proposal(id.toString())).proposal;
    assert.equal(proposal.status, ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD);

    const vote = await aliceAmino.signAndBroadcast(alice.address, [{ typeUrl: "/cosmos.gov.v1beta1.MsgVote", value: { proposalId: id, voter: alice.address, option: VoteOption.VOTE_OPTION_NO } }], "auto");
    assert.equal(vote.code, 0, vote.rawLog);
    const v1Vote = { typeUrl: "/cosmos.gov.v1.MsgVote", value: { proposalId: id, voter: node.operator.address, option: VoteOption.VOTE_OPTION_YES, metadata: "" } };
    const yes = await operatorAmino.signAndBroadcast(node.operator.address, [v1Vote], "auto");
    assert.equal(yes.code, 0, yes.rawLog);
    const votes = (await q.gov.votes(id.toString())).votes;
    assert.deepEqual(votes.map((v) => v.voter).sort(), [alice.address, node.operator.address].sort());

    await eventually(async () => assert.ok((await operatorAmino.getHeight()) > yes.height + 1), 20_000, 200);
    const withdraw = await operatorAmino.signAndBroadcast(node.operator.address, [{ typeUrl: "/cosmos.distribution.v1beta1.MsgWithdrawValidatorCommission", value: { validatorAddress: toValoper(node.operator.address) } }], "auto");
    assert.equal(withdraw.code, 0, withdraw.rawLog);
  });

  it("refuses an amino tx signed over another memo or sequence (sdk/4), and nothing changes", async () => {
    const account = (await aliceAmino.getAccount(alice.address))!;
    const before = (await aliceAmino.getBalance(alice.address, "uaro")).amount;
    const messages = [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: alice.address, toAddress: bob.address, amount: coins(1000, "uaro") } }];
    const base = { mnemonic: alice.mnemonic, messages, chainId: node.chainId, accountNumber: BigInt(account.accountNumber), sequence: BigInt(account.sequence), memo: "pay bob" };
    for (const forged of [{ signedMemo: "pay mallory" }, { signedSequence: BigInt(account.sequence) + 1n }]) {
      const { bytes } = await signAminoTx({ ...base, ...forged });
      const res = await comet.broadcastTxSync({ tx: bytes });
      assert.equal(res.code, 4, `${Object.keys(forged)[0]}: ${res.log}`);
      assert.equal(res.codespace, "sdk");
    }
    const honest = await signAminoTx(base);
    assert.equal((await comet.broadcastTxSync({ tx: honest.bytes })).code, 0, "the same tx signed over what it carries is accepted");
    await eventually(async () => assert.equal((await aliceAmino.getSequence(alice.address)).sequence, account.sequence + 1), 20_000, 200);
    assert.equal(BigInt((await aliceAmino.getBalance(alice.address, "uaro")).amount), BigInt(before) - 1000n - 5000n, "only the honest tx moved funds");
  });
});
