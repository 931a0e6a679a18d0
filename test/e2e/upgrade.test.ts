import assert from "node:assert/strict";
import { freeBase, heightOf, rpcJson } from "../support/testnet-ports.ts";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { GasPrice, QueryClient, SigningStargateClient, coin, createProtobufRpcClient } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { MsgSoftwareUpgrade } from "cosmjs-types/cosmos/upgrade/v1beta1/tx";
import { QueryClientImpl as UpgradeQuery } from "cosmjs-types/cosmos/upgrade/v1beta1/query";
import { QueryClientImpl as BankQuery } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { Keyring } from "../../chain/keyring/keyring.ts";
import { govAuthority } from "../../chain/params-route.ts";
import { alive, startValidator, stopValidator } from "../../app/testnet/control.ts";
import { createTestnet, type TestnetInfo } from "../../app/testnet/create.ts";
import { eventually } from "../support/eventually.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");




/** The handler release "v2" brings: a state migration no transaction could make (bank gets a new denom unit; its version becomes 2). */
const V2_HANDLERS = `import type { UpgradeHandler } from "../../modules/upgrade/index.ts";
import { bankKeeper } from "../../modules/bank/keeper.ts";

export const upgradeHandlers: readonly UpgradeHandler[] = [{
  name: "v2",
  migrate(ctx) {
    const m = bankKeeper.getDenomMetadata(ctx.store, "uaro")!;
    bankKeeper.setDenomMetadata(ctx.store, { ...m, description: m.description + " (v2)", denomUnits: [...m.denomUnits, { denom: "maro", exponent: 3, aliases: ["milliaro"] }] });
    return { bank: 2n };
  },
}];
`;

/** A build of this repository with one more upgrade handler: the release an operator (or cosmovisor) switches to. */
function buildRelease(into: string): string {
  for (const f of execFileSync("git", ["-C", root, "ls-files", "-z"], { encoding: "utf8" }).split("\0").filter(Boolean)) {
    if (!fs.existsSync(path.join(root, f))) continue;
    fs.mkdirSync(path.dirname(path.join(into, f)), { recursive: true });
    fs.copyFileSync(path.join(root, f), path.join(into, f));
  }
  for (const d of ["node_modules", ".bin"]) fs.symlinkSync(path.join(root, d), path.join(into, d));
  fs.writeFileSync(path.join(into, "app", "upgrades", "index.ts"), V2_HANDLERS);
  return path.join(into, "bin", "arod.js");
}

describe("e2e: a coordinated upgrade on a 4-validator testnet (x/upgrade through governance, halt, new binary, migration)", function () {
  let dir: string;
  let info: TestnetInfo;
  let release: string;
  let planHeight: number;
  const rpc = (i = 0) => info.validators[i].rpc;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "arod-upgrade-"));
    info = await createTestnet(path.join(dir, "net"), {
      validators: 4, basePort: await freeBase(4), timeoutCommit: "300ms",
      editGenesis: (g) => Object.assign(g.app_state.gov.params, { voting_period: "8s", max_deposit_period: "8s", min_deposit: [{ denom: "uaro", amount: "10000000" }] }),
    });
    for (const v of info.validators) await startValidator(info, v.index);
    await eventually(async () => assert.ok((await Promise.all(info.validators.map((v) => heightOf(v.rpc)))).every((h) => h >= 2)), 120_000, 250);
    release = buildRelease(path.join(dir, "release-v2"));
  });
  after(async () => {
    for (const v of info?.validators ?? []) for (const pid of [v.pids.arod, v.pids.cometbft]) if (alive(pid)) process.kill(pid!, "SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("governance schedules MsgSoftwareUpgrade \"v2\" at a height; CurrentPlan shows it", async () => {
    const keyring = new Keyring(info.home, "test");
    const opts = { gasPrice: GasPrice.fromString("0.025uaro"), broadcastPollIntervalMs: 300 };
    const demo = await SigningStargateClient.connectWithSigner(rpc(), await keyring.wallet("demo"), opts);
    planHeight = (await heightOf(rpc())) + 70;
    const msg = { typeUrl: "/cosmos.upgrade.v1beta1.MsgSoftwareUpgrade", value: MsgSoftwareUpgrade.encode({ authority: govAuthority(), plan: { name: "v2", height: BigInt(planHeight), info: "release v2: bank denom units", time: { seconds: 0n, nanos: 0 } } }).finish() };
    const r = await demo.signAndBroadcast(info.demo_address, [{
      typeUrl: "/cosmos.gov.v1.MsgSubmitProposal",
      value: { messages: [msg], initialDeposit: [coin("10000000", "uaro")], proposer: info.demo_address, metadata: "", title: "upgrade to v2", summary: "v2", expedited: false },
    }], "auto");
    assert.equal(r.code, 0, r.rawLog);
    const id = BigInt(r.events.find((e) => e.type === "submit_proposal")!.attributes.find((a) => a.key === "proposal_id")!.value);
    for (const v of info.validators.slice(0, 3)) {
      const c = await SigningStargateClient.connectWithSigner(rpc(), await keyring.wallet(v.moniker), opts);
      const vote = await c.signAndBroadcast(v.operator!, [{ typeUrl: "/cosmos.gov.v1beta1.MsgVote", value: { proposalId: id, voter: v.operator!, option: VoteOption.VOTE_OPTION_YES } }], "auto");
      assert.equal(vote.code, 0, vote.rawLog);
      c.disconnect();
    }
    demo.disconnect();
    const comet = await Comet38Client.connect(rpc());
    const upgrade = new UpgradeQuery(createProtobufRpcClient(new QueryClient(comet)));
    await eventually(async () => assert.equal((await upgrade.CurrentPlan({})).plan?.name, "v2"), 60_000, 300);
    assert.equal((await upgrade.CurrentPlan({})).plan?.height, BigInt(planHeight));
    assert.ok((await heightOf(rpc())) < planHeight, "the plan passed before its height");
    comet.disconnect();
  });

  it("at the plan's height every validator stops and writes upgrade-info.json; the old binary restarted stops there again", async () => {
    // Three of four validators (75% of the power) commit every block: one can be a block
    // behind when the others halt, and then no peer is left to give it the last block
    // before the plan. It stays below the plan's height, as a lagging node does on a real
    // chain until upgraded peers serve blocks again; it is upgraded with the others below.
    const stopped = () => info.validators.filter((v) => !alive(v.pids.arod));
    await eventually(async () => assert.ok(stopped().length >= 3, `${stopped().length} of 4 validators stopped`), 150_000, 500);
    const halted = stopped();
    for (const v of info.validators.filter((x) => !halted.includes(x))) {
      // committed height below the plan (it may be halting at this very moment)
      assert.ok((await heightOf(v.rpc).catch(() => 0)) < planHeight, `${v.moniker} runs past the plan's height`);
      await stopValidator(info, v.index);
    }
    for (const v of halted) {
      const upgradeInfo = JSON.parse(fs.readFileSync(path.join(v.home, "data", "upgrade-info.json"), "utf8"));
      assert.deepEqual(upgradeInfo, { name: "v2", height: planHeight, info: "release v2: bank denom units" });
      assert.match(fs.readFileSync(path.join(v.home, "arod.log"), "utf8"), new RegExp(`UPGRADE \\\\"v2\\\\" NEEDED at height: ${planHeight}`));
    }
    // the old binary cannot go past it
    const again = halted[0];
    fs.rmSync(path.join(again.home, "data", "upgrade-info.json"));
    // (it may stop before its start is even confirmed)
    await startValidator(info, again.index).catch((err: Error) => assert.match(err.message, /exited at start/));
    await eventually(async () => assert.ok(!alive(again.pids.arod)), 120_000, 500);
    assert.ok(fs.existsSync(path.join(again.home, "data", "upgrade-info.json")));
  });

  it("the new binary runs the v2 migration at that height on every validator, and the chain goes on with one app hash", async () => {
    for (const v of info.validators) await startValidator(info, v.index, { arodBin: release });
    await eventually(async () => assert.ok((await Promise.all(info.validators.map((v) => heightOf(v.rpc)))).every((h) => h >= planHeight + 3)), 180_000, 500);
    const hashes = await Promise.all(info.validators.map(async (v) => (await rpcJson(`${v.rpc}/block?height=${planHeight + 2}`)).block.header.app_hash));
    assert.ok(hashes.every((h) => h === hashes[0]), hashes.join(" "));
    const comet = await Comet38Client.connect(rpc(1));
    const rpcClient = createProtobufRpcClient(new QueryClient(comet));
    const upgrade = new UpgradeQuery(rpcClient);
    assert.equal((await upgrade.AppliedPlan({ name: "v2" })).height, BigInt(planHeight));
    assert.equal((await upgrade.CurrentPlan({})).plan, undefined);
    assert.equal((await upgrade.ModuleVersions({ moduleName: "bank" })).moduleVersions[0].version, 2n);
    const meta = (await new BankQuery(rpcClient).DenomMetadata({ denom: "uaro" })).metadata!;
    assert.ok(meta.denomUnits.some((u) => u.denom === "maro" && u.exponent === 3), "the migration's state change is on chain");
    assert.match(meta.description, /\(v2\)$/);
    comet.disconnect();
  });
});
