import { MsgCancelUpgrade } from "cosmjs-types/cosmos/upgrade/v1beta1/tx";
import { validateAddress } from "../../../chain/address.ts";
import { msgRoute } from "../../../chain/module.ts";
import { govAuthority } from "../../../chain/params-route.ts";
import { upgradeErrors } from "../errors.ts";
import { upgradeKeeper } from "../keeper.ts";

/** MsgCancelUpgrade (gov only): drops the scheduled plan, if any. */
export const cancelUpgrade = msgRoute<MsgCancelUpgrade>({
  typeUrl: "/cosmos.upgrade.v1beta1.MsgCancelUpgrade",
  type: MsgCancelUpgrade,
  signers: (m) => [m.authority],
  validate: (m) => validateAddress(m.authority, "authority"),
  handle(ctx, m) {
    if (m.authority !== govAuthority()) throw upgradeErrors.invalidSigner.wrap(`expected ${govAuthority()}, got ${m.authority}`);
    const p = upgradeKeeper.plan(ctx.store);
    if (p) {
      upgradeKeeper.clearPlan(ctx.store);
      ctx.events.emit("upgrade_cancelled", { name: p.name, height: p.height.toString() });
    }
    return { typeUrl: "/cosmos.upgrade.v1beta1.MsgCancelUpgradeResponse", value: new Uint8Array() };
  },
});
