import assert from "node:assert/strict";
import { createHash, generateKeyPairSync } from "node:crypto";
import { GasPrice, QueryClient, SigningStargateClient, defaultRegistryTypes, setupDistributionExtension, setupSlashingExtension, setupStakingExtension, coin } from "@cosmjs/stargate";
import { Registry } from "@cosmjs/proto-signing";
import { MsgUnjail } from "cosmjs-types/cosmos/slashing/v1beta1/tx";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { toBech32 } from "@cosmjs/encoding";
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { MsgCreateValidator } from "cosmjs-types/cosmos/staking/v1beta1/tx";
import { toValoper } from "../../chain/address.ts";
import { eventually } from "../support/eventually.ts";
import { LocalNode, newAccount, type Funded } from "../../app/testnet/local-node.ts";

const dec = (x: string) => (BigInt(Math.round(Number(x) * 1e6)) * 10n ** 12n).toString();

describe("e2e: x/slashing — downtime jails and slashes, unjail brings the validator back", function () {
  let node: LocalNode;
  let carol: Funded;
  let client: SigningStargateClient;
  const { publicKey } = generateKeyPairSync("ed25519");
  const consKey = new Uint8Array(publicKey.export({ format: "der", type: "spki" }).subarray(-32));
  const consB64 = Buffer.from(consKey).toString("base64");
  const valcons = toBech32("arovalcons", createHash("sha256").update(consKey).digest().subarray(0, 20));
  const unjailMsg = () => ({ typeUrl: "/cosmos.slashing.v1beta1.MsgUnjail", value: { validatorAddr: toValoper(carol.address) } });

  before(async () => {
    carol = await newAccount();
    node = await LocalNode.create({
      funded: [{ address: carol.address, coins: "50000000000uaro" }],
      editGenesis: (g) => {
        g.app_state.slashing.params.signed_blocks_window = "10";
        g.app_state.slashing.params.downtime_jail_duration = "8s";
      },
    });
    await node.start();
    // MsgUnjail is not in CosmJS's default registry: add it, as any dApp would.
    const registry = new Registry([...defaultRegistryTypes, ["/cosmos.slashing.v1beta1.MsgUnjail", MsgUnjail]]);
    client = await SigningStargateClient.connectWithSigner(node.rpc, carol.wallet, { registry, gasPrice: GasPrice.fromString("0.025uaro"), broadcastPollIntervalMs: 300 });
  });
  after(async () => {
    client?.disconnect();
    await node?.cleanup();
  });

  const power = async () => {
    const r = (await (await fetch(`${node.rpc}/validators`)).json()) as any;
    return r.result.validators.find((v: any) => v.pub_key.value === consB64)?.voting_power as string | undefined;
  };

  it("a validator that never signs is jailed and slashed 1%", async () => {
    const r = await client.signAndBroadcast(carol.address, [{
      typeUrl: "/cosmos.staking.v1beta1.MsgCreateValidator",
      value: MsgCreateValidator.fromPartial({
        description: { moniker: "offline" }, commission: { rate: dec("0.1"), maxRate: dec("0.2"), maxChangeRate: dec("0.01") }, minSelfDelegation: "1",
        validatorAddress: toValoper(carol.address), pubkey: { typeUrl: "/cosmos.crypto.ed25519.PubKey", value: Ed25519PubKey.encode({ key: consKey }).finish() },
        value: coin("7000000", "uaro"),
      }),
    }], "auto");
    assert.equal(r.code, 0, r.rawLog);
    await eventually(async () => assert.equal(await power(), "7"));
    await assert.rejects(client.signAndBroadcast(carol.address, [unjailMsg()], "auto"), /validator not jailed/);

    const comet = await Comet38Client.connect(node.rpc);
    const q = QueryClient.withExtensions(comet, setupStakingExtension, setupSlashingExtension, setupDistributionExtension);
    await eventually(async () => assert.equal((await q.staking.validator(toValoper(carol.address))).validator?.jailed, true), 30_000);
    await assert.rejects(client.signAndBroadcast(carol.address, [unjailMsg()], "auto"), /validator still jailed/, "refused while jailed: slashing/4");
    const v = (await q.staking.validator(toValoper(carol.address))).validator!;
    assert.equal(v.tokens, "6930000", "1% of 7 aro burned");
    await eventually(async () => assert.equal(await power(), undefined, "removed from CometBFT's set"));
    const info = (await q.slashing.signingInfo(valcons)).valSigningInfo;
    assert.ok(info.jailedUntil.seconds > 0n);
    assert.equal(info.tombstoned, false);
    assert.ok((await q.slashing.signingInfos()).info.length >= 2);
    assert.equal((await q.slashing.params()).params.signedBlocksWindow, 10n);
    // x/distribution recorded the slash, so the delegators' rewards follow the lower stake from then on
    const height = (await comet.status()).syncInfo.latestBlockHeight;
    const slashes = (await q.distribution.validatorSlashes(toValoper(carol.address), 1, height)).slashes;
    assert.equal(slashes.length, 1);
    assert.equal(slashes[0].fraction, (10n ** 16n).toString(), "1% as an 18-decimal fraction");
    comet.disconnect();
  });

  it("unjail after the jail time brings the validator back into the set", async () => {
    const comet = await Comet38Client.connect(node.rpc);
    const until = (await QueryClient.withExtensions(comet, setupSlashingExtension).slashing.signingInfo(valcons)).valSigningInfo.jailedUntil.seconds;
    await eventually(async () => assert.ok(BigInt(Math.floor((await comet.status()).syncInfo.latestBlockTime.getTime() / 1000)) > until), 30_000, 250);
    comet.disconnect();
    const r = await client.signAndBroadcast(carol.address, [unjailMsg()], "auto");
    assert.equal(r.code, 0, r.rawLog);
    await eventually(async () => assert.equal(await power(), "6"), 10_000, 100);
  });
});
