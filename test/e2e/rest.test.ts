import assert from "node:assert/strict";
import { GasPrice, SigningStargateClient, coin } from "@cosmjs/stargate";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { MsgCommunityPoolSpend } from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import { toValoper } from "../../chain/address.ts";
import { govAuthority } from "../../chain/params-route.ts";
import { eventually } from "../support/eventually.ts";
import { assertSdkShape, getJson, isDecString, isIntString } from "../support/rest-shape.ts";
import { LocalNode, newAccount, type Funded } from "../../app/testnet/local-node.ts";

/**
 * Every REST route Keplr and ping.pub call (Keplr's cosmos chain queries and broadcast;
 * ping.pub's chain, account, validator, governance, block and tx pages), against a node
 * with a delegation, a proposal with a vote and a tx broadcast through REST.
 */
describe("e2e: the REST (LCD) gateway serves what Keplr and ping.pub read, in the SDK's JSON", function () {
  let node: LocalNode;
  let alice: Funded;
  let api: string;
  let valoper: string;
  let txHash: string;
  let txHeight: string;
  const bob = "aro1qqqsyqcyq5rqwzqfpg9scrgwpugpzysnk0swdu"; // 20 bytes 0..19
  const opts = { gasPrice: GasPrice.fromString("0.025uaro"), broadcastPollIntervalMs: 300 };

  before(async () => {
    alice = await newAccount();
    node = await LocalNode.create({
      funded: [{ address: alice.address, coins: "50000000000uaro" }],
      editGenesis: (g) => Object.assign(g.app_state.gov.params, { min_deposit: [{ denom: "uaro", amount: "10000000" }] }),
    });
    await node.start();
    api = node.api;
    valoper = toValoper(node.operator.address);
    const client = await SigningStargateClient.connectWithSigner(node.rpc, alice.wallet, opts);
    const validator = await SigningStargateClient.connectWithSigner(node.rpc, node.operator.wallet, opts);
    try {
      assert.equal((await client.delegateTokens(alice.address, valoper, coin("1000000000", "uaro"), "auto")).code, 0);
      const p = await client.signAndBroadcast(alice.address, [{
        typeUrl: "/cosmos.gov.v1.MsgSubmitProposal",
        value: { messages: [{ typeUrl: "/cosmos.distribution.v1beta1.MsgCommunityPoolSpend", value: MsgCommunityPoolSpend.encode({ authority: govAuthority(), recipient: bob, amount: [coin("1", "uaro")] }).finish() }], initialDeposit: [coin("10000000", "uaro")], proposer: alice.address, metadata: "", title: "a grant", summary: "why", expedited: false },
      }], "auto");
      assert.equal(p.code, 0, p.rawLog);
      const v = await validator.signAndBroadcast(node.operator.address, [{ typeUrl: "/cosmos.gov.v1.MsgVote", value: { proposalId: 1n, voter: node.operator.address, option: VoteOption.VOTE_OPTION_YES, metadata: "" } }], "auto");
      assert.equal(v.code, 0, v.rawLog);
      // a send signed here and broadcast through REST, as Keplr does
      const signed = await client.sign(alice.address, [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: alice.address, toAddress: bob, amount: [coin("12345", "uaro")] } }], { amount: [coin("5000", "uaro")], gas: "200000" }, "via rest");
      const b = await getJson(api, "/cosmos/tx/v1beta1/txs", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ tx_bytes: Buffer.from(TxRaw.encode(signed).finish()).toString("base64"), mode: "BROADCAST_MODE_SYNC" }) });
      assert.equal(b.status, 200, JSON.stringify(b.json));
      assert.equal(b.json.tx_response.code, 0, b.json.tx_response.raw_log);
      txHash = b.json.tx_response.txhash;
      await eventually(async () => assert.equal((await getJson(api, `/cosmos/tx/v1beta1/txs/${txHash}`)).status, 200), 30_000, 200);
      txHeight = (await getJson(api, `/cosmos/tx/v1beta1/txs/${txHash}`)).json.tx_response.height;
    } finally {
      client.disconnect();
      validator.disconnect();
    }
  });
  after(async () => node?.cleanup());

  const get = async (path: string) => {
    const r = await getJson(api, path);
    assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.json)}`);
    assertSdkShape(path, r.json);
    return r.json;
  };

  it("Keplr's routes: account, balances, staking, rewards, gov, mint, supply, node info", async () => {
    const acct = await get(`/cosmos/auth/v1beta1/accounts/${alice.address}`);
    assert.equal(acct.account["@type"], "/cosmos.auth.v1beta1.BaseAccount");
    assert.ok(isIntString(acct.account.account_number) && isIntString(acct.account.sequence));
    assert.equal(acct.account.pub_key["@type"], "/cosmos.crypto.secp256k1.PubKey");
    assert.ok((await get(`/cosmos/bank/v1beta1/balances/${alice.address}?pagination.limit=1000`)).balances.some((c: any) => c.denom === "uaro" && isIntString(c.amount)));
    assert.ok(Array.isArray((await get(`/cosmos/bank/v1beta1/spendable_balances/${alice.address}`)).balances));
    assert.equal((await get(`/cosmos/bank/v1beta1/balances/${bob}/by_denom?denom=uaro`)).balance.amount, "12345");
    const dels = await get(`/cosmos/staking/v1beta1/delegations/${alice.address}`);
    assert.equal(dels.delegation_responses[0].delegation.validator_address, valoper);
    assert.ok(isDecString(dels.delegation_responses[0].delegation.shares), "shares are decimals");
    assert.ok(Array.isArray((await get(`/cosmos/staking/v1beta1/delegators/${alice.address}/unbonding_delegations`)).unbonding_responses));
    const vals = await get("/cosmos/staking/v1beta1/validators?status=BOND_STATUS_BONDED&pagination.limit=1000");
    assert.equal(vals.validators[0].status, "BOND_STATUS_BONDED");
    assert.ok(isDecString(vals.validators[0].commission.commission_rates.rate));
    assert.equal(vals.validators[0].consensus_pubkey["@type"], "/cosmos.crypto.ed25519.PubKey");
    assert.equal((await get(`/cosmos/staking/v1beta1/validators/${valoper}`)).validator.operator_address, valoper);
    assert.ok(isIntString((await get("/cosmos/staking/v1beta1/pool")).pool.bonded_tokens));
    assert.equal((await get("/cosmos/staking/v1beta1/params")).params.bond_denom, "uaro");
    const rewards = await get(`/cosmos/distribution/v1beta1/delegators/${alice.address}/rewards`);
    assert.ok(Array.isArray(rewards.rewards) && Array.isArray(rewards.total));
    for (const c of rewards.total) assert.ok(isDecString(c.amount), "DecCoins are decimals");
    const proposals = await get("/cosmos/gov/v1/proposals?proposal_status=PROPOSAL_STATUS_VOTING_PERIOD");
    assert.equal(proposals.proposals[0].id, "1");
    assert.equal(proposals.proposals[0].status, "PROPOSAL_STATUS_VOTING_PERIOD");
    assert.equal((await get("/cosmos/gov/v1beta1/proposals")).proposals[0].proposal_id, "1");
    assert.equal((await get(`/cosmos/gov/v1/proposals/1/votes/${node.operator.address}`)).vote.options[0].option, "VOTE_OPTION_YES");
    assert.ok(isIntString((await get("/cosmos/gov/v1/proposals/1/tally")).tally.yes_count));
    assert.ok(isDecString((await get("/cosmos/mint/v1beta1/inflation")).inflation), "inflation is a decimal");
    assert.equal(typeof (await get("/cosmos/mint/v1beta1/annual_provisions")).annual_provisions, "string");
    assert.ok(isIntString((await get("/cosmos/bank/v1beta1/supply/by_denom?denom=uaro")).amount.amount));
    assert.equal((await get("/cosmos/base/tendermint/v1beta1/node_info")).default_node_info.network, node.chainId);
    const plain = await fetch(`${api}/cosmos/bank/v1beta1/supply`, { headers: { origin: "http://example.test" } });
    assert.equal(plain.headers.get("access-control-allow-origin"), null, "no CORS unless enabled-unsafe-cors");
  });

  it("ping.pub's routes: params of every module, supply, metadata, distribution, slashing, gov v1, staking, upgrade", async () => {
    for (const m of ["auth", "bank", "distribution", "mint", "slashing", "staking"]) assert.ok((await get(`/cosmos/${m}/v1beta1/params`)).params, `${m} params`);
    for (const t of ["voting", "deposit", "tallying"]) assert.ok((await get(`/cosmos/gov/v1/params/${t}`)).params, `gov ${t} params`);
    assert.ok((await get("/cosmos/bank/v1beta1/supply")).supply.length > 0);
    assert.ok(Array.isArray((await get("/cosmos/bank/v1beta1/denoms_metadata")).metadatas));
    assert.ok(Array.isArray((await get("/cosmos/distribution/v1beta1/community_pool")).pool));
    assert.ok((await get(`/cosmos/distribution/v1beta1/validators/${valoper}/outstanding_rewards`)).rewards);
    assert.ok((await get(`/cosmos/distribution/v1beta1/validators/${valoper}/commission`)).commission);
    assert.ok(Array.isArray((await get(`/cosmos/distribution/v1beta1/validators/${valoper}/slashes`)).slashes));
    assert.ok(Array.isArray((await get("/cosmos/slashing/v1beta1/signing_infos")).info));
    assert.equal((await get("/cosmos/gov/v1/proposals/1")).proposal.title, "a grant");
    assert.ok(Array.isArray((await get("/cosmos/gov/v1/proposals/1/deposits")).deposits));
    assert.equal((await get("/cosmos/gov/v1/proposals/1/votes")).votes.length, 1);
    assert.ok((await get(`/cosmos/staking/v1beta1/validators/${valoper}/delegations`)).delegation_responses.length >= 2);
    assert.equal((await get(`/cosmos/staking/v1beta1/validators/${valoper}/delegations/${alice.address}`)).delegation_response.balance.amount, "1000000000");
    assert.ok(Array.isArray((await get(`/cosmos/staking/v1beta1/validators/${valoper}/unbonding_delegations`)).unbonding_responses));
    assert.ok(Array.isArray((await get(`/cosmos/staking/v1beta1/delegators/${alice.address}/redelegations`)).redelegation_responses));
    assert.equal((await get(`/cosmos/staking/v1beta1/delegators/${alice.address}/validators`)).validators[0].operator_address, valoper);
    assert.ok("hist" in (await get(`/cosmos/staking/v1beta1/historical_info/${txHeight}`)));
    assert.equal((await get("/cosmos/upgrade/v1beta1/current_plan")).plan, null);
    assert.ok(Array.isArray((await get("/cosmos/upgrade/v1beta1/module_versions")).module_versions));
  });

  it("blocks, validator sets, syncing and txs (by hash, by block, by query) as cosmos.base.tendermint and cosmos.tx", async () => {
    const latest = await get("/cosmos/base/tendermint/v1beta1/blocks/latest");
    assert.ok(isIntString(latest.block.header.height) && latest.sdk_block.header.proposer_address.startsWith("arovalcons1"));
    const at = await get(`/cosmos/base/tendermint/v1beta1/blocks/${txHeight}`);
    assert.equal(at.block.header.height, txHeight);
    const vs = await get("/cosmos/base/tendermint/v1beta1/validatorsets/latest");
    assert.equal(vs.validators[0].pub_key["@type"], "/cosmos.crypto.ed25519.PubKey");
    assert.ok(vs.validators[0].address.startsWith("arovalcons1"));
    assert.equal((await get(`/cosmos/base/tendermint/v1beta1/validatorsets/${txHeight}`)).block_height, txHeight);
    assert.equal((await get("/cosmos/base/tendermint/v1beta1/syncing")).syncing, false);
    const tx = await get(`/cosmos/tx/v1beta1/txs/${txHash}`);
    assert.equal(tx.tx.body.messages[0]["@type"], "/cosmos.bank.v1beta1.MsgSend");
    assert.equal(tx.tx.body.memo, "via rest");
    assert.equal(tx.tx_response.tx["@type"], "/cosmos.tx.v1beta1.Tx");
    const byBlock = await get(`/cosmos/tx/v1beta1/txs/block/${txHeight}`);
    assert.ok(byBlock.txs.some((t: any) => t.body.memo === "via rest"));
    const search = await get(`/cosmos/tx/v1beta1/txs?query=${encodeURIComponent(`message.sender='${alice.address}'`)}&order_by=ORDER_BY_DESC`);
    assert.equal(search.total, "3", "alice sent 3 txs: a delegation, a proposal, a send");
    assert.equal(search.txs.length, search.tx_responses.length);
    assert.ok(search.tx_responses.some((r: any) => r.txhash === txHash && r.timestamp.endsWith("Z")));
    const byEvents = await get(`/cosmos/tx/v1beta1/txs?events=${encodeURIComponent(`transfer.recipient='${bob}'`)}`);
    assert.equal(byEvents.tx_responses[0].txhash, txHash);
    const legacy = await get(`/cosmos/tx/v1beta1/txs?events=${encodeURIComponent(`message.sender='${alice.address}'`)}&pagination.limit=1&pagination.offset=1&pagination.reverse=true`);
    assert.equal(legacy.txs.length, 1, "the deprecated pagination still pages");
    assert.equal(legacy.tx_responses[0].txhash, search.tx_responses[1].txhash, "the second newest");
  });
});
