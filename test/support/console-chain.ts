import assert from "node:assert/strict";
import { GasPrice, SigningStargateClient, coin } from "@cosmjs/stargate";
import { MsgCommunityPoolSpend } from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import { aroRegistry } from "../../client/index.ts";
import { toValoper } from "../../chain/address.ts";
import { govAuthority } from "../../chain/params-route.ts";
import { NatType, Service } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { MsgRegisterNodeResponse } from "../../proto/gen/aro/peernode/v1/tx.ts";
import { shortEpochs } from "../../app/testnet/create.ts";
import { LocalNode, newAccount, type Funded } from "../../app/testnet/local-node.ts";

export const PROPOSAL_TITLE = "Fund the console's documentation";
export const NODE_REGION = "europe";
export const STAKE = 1_000_000_000n;
const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

export interface ConsoleChain {
  readonly node: LocalNode;
  /** Delegator, proposer and PeerNode owner: the wallet the page signs with. */
  readonly alice: Funded;
  readonly nodeId: bigint;
  readonly proposalId: bigint;
  readonly valoper: string;
}

/**
 * A real chain with something on every console page: a delegation (staking rewards, voting
 * power), a proposal in its voting period, a PeerNode earning every 5-block epoch (settlement
 * counts an unprobed node as up) and the validator "test".
 */
export async function startConsoleChain(): Promise<ConsoleChain> {
  const alice = await newAccount();
  const node = await LocalNode.create({
    funded: [{ address: alice.address, coins: "100000000000uaro" }],
    editGenesis: (g) => {
      Object.assign(g.app_state.gov.params, { min_deposit: [{ denom: "uaro", amount: "10000000" }] });
      Object.assign(g.app_state.peernode.params, { minBond: "1000000" });
      shortEpochs(g, 5);
      Object.assign(g.app_state.settlement.params, { unreportedUptimePermille: 1000 });
    },
  });
  await node.start();
  const client = await SigningStargateClient.connectWithSigner(node.rpc, alice.wallet, { registry: aroRegistry(), gasPrice: GasPrice.fromString("0.025uaro"), broadcastPollIntervalMs: 300 });
  try {
    const valoper = toValoper(node.operator.address);
    const d = await client.delegateTokens(alice.address, valoper, coin(STAKE.toString(), "uaro"), "auto");
    assert.equal(d.code, 0, d.rawLog);
    const p = await client.signAndBroadcast(alice.address, [{
      typeUrl: "/cosmos.gov.v1.MsgSubmitProposal",
      value: {
        messages: [{ typeUrl: "/cosmos.distribution.v1beta1.MsgCommunityPoolSpend", value: MsgCommunityPoolSpend.encode({ authority: govAuthority(), recipient: alice.address, amount: [coin("1", "uaro")] }).finish() }],
        initialDeposit: [coin("10000000", "uaro")], proposer: alice.address, metadata: "", title: PROPOSAL_TITLE, summary: "Pay for the console's user guide.", expedited: false,
      },
    }], "auto");
    assert.equal(p.code, 0, p.rawLog);
    const r = await client.signAndBroadcast(alice.address, [{
      typeUrl: "/aro.peernode.v1.MsgRegisterNode",
      value: {
        owner: alice.address, operator: alice.address, peerId: "12D3KooW" + Array.from({ length: 44 }, (_, i) => B58[(i * 13 + 5) % 58]).join(""),
        multiaddrs: ["/ip4/127.0.0.1/tcp/4001"], endpoints: ["http://127.0.0.1:8080"], region: NODE_REGION,
        resources: { bandwidthMbps: 1000n, storageGb: 500n, cpuMillicores: 4000n, memoryMb: 8192n, gpus: 0 },
        natType: NatType.NAT_TYPE_PUBLIC, services: [Service.SERVICE_CDN, Service.SERVICE_HVM], commission: "0.1", bond: coin("5000000", "uaro"),
      },
    }], "auto");
    assert.equal(r.code, 0, r.rawLog);
    return { node, alice, nodeId: MsgRegisterNodeResponse.decode(r.msgResponses[0].value).nodeId, proposalId: 1n, valoper };
  } catch (err) {
    await node.cleanup();
    throw err;
  } finally {
    client.disconnect();
  }
}
