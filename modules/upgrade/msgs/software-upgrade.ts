import { MsgSoftwareUpgrade } from "cosmjs-types/cosmos/upgrade/v1beta1/tx";
import { validateAddress } from "../../../chain/address.ts";
import { sdkErrors } from "../../../chain/errors.ts";
import { msgRoute } from "../../../chain/module.ts";
import { govAuthority } from "../../../chain/params-route.ts";
import { upgradeErrors } from "../errors.ts";
import { upgradeKeeper } from "../keeper.ts";

/** MsgSoftwareUpgrade (gov only): schedules the plan, replacing any scheduled one. */
export const softwareUpgrade = msgRoute<MsgSoftwareUpgrade>({
  typeUrl: "/cosmos.upgrade.v1beta1.MsgSoftwareUpgrade",
  type: MsgSoftwareUpgrade,
  signers: (m) => [m.authority],
  validate(m) {
    validateAddress(m.authority, "authority");
    const p = m.plan;
    if (!p) throw sdkErrors.invalidRequest.wrap("plan is missing");
    if (!p.name.trim()) throw sdkErrors.invalidRequest.wrap("name cannot be empty");
    if (p.name.length > 140 || /[/\s]/.test(p.name)) throw sdkErrors.invalidRequest.wrap("name must be at most 140 characters, without spaces or '/'");
    if (p.height <= 0n) throw sdkErrors.invalidRequest.wrap("height must be greater than 0");
    if (p.time && (p.time.seconds !== 0n || p.time.nanos !== 0) && p.time.seconds !== -62135596800n) throw sdkErrors.invalidRequest.wrap("time-based upgrades have been deprecated in the SDK; use height");
    if (p.info.length > 10_000) throw sdkErrors.invalidRequest.wrap("info must be at most 10000 bytes");
  },
  handle(ctx, m) {
    if (m.authority !== govAuthority()) throw upgradeErrors.invalidSigner.wrap(`expected ${govAuthority()}, got ${m.authority}`);
    const p = m.plan!;
    if (p.height <= ctx.block.height) throw upgradeErrors.scheduledInPast.wrap(`height ${p.height} is not after the current block ${ctx.block.height}`);
    if (upgradeKeeper.doneAt(ctx.store, p.name) !== undefined) throw upgradeErrors.completed.wrap(`upgrade with name ${p.name} has already been completed`);
    upgradeKeeper.setPlan(ctx.store, { name: p.name, height: p.height, info: p.info, time: { seconds: 0n, nanos: 0 } });
    ctx.events.emit("upgrade_scheduled", { name: p.name, height: p.height.toString() });
    return { typeUrl: "/cosmos.upgrade.v1beta1.MsgSoftwareUpgradeResponse", value: new Uint8Array() };
  },
});
