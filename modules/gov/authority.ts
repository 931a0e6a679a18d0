import { validateAddress } from "../../chain/address.ts";
import { msgRoute, type MsgRoute, type ProtoType } from "../../chain/module.ts";
import type { KVStore } from "../../chain/store/kv.ts";
import { moduleAddress } from "../auth/keeper.ts";
import { govErrors } from "./errors.ts";

export const GOV_MODULE = "gov";

/** The gov module account: the only signer of MsgUpdateParams, and of messages run by passed proposals. */
export const govAuthority = (): string => moduleAddress(GOV_MODULE);

/** For every MsgUpdateParams handler: only governance changes parameters. */
export function requireGovAuthority(authority: string): void {
  if (authority !== govAuthority()) throw govErrors.invalidSigner.wrap(`invalid authority; expected ${govAuthority()}, got ${authority}`);
}


/**
 * A module's MsgUpdateParams: `{authority, params}`, accepted only from the gov account
 * (that is, from a passed proposal). One shape for every module.
 */
export function updateParamsRoute<P>(o: {
  typeUrl: string;
  type: ProtoType<{ authority: string; params?: P }>;
  validate: (p: P) => void;
  set: (store: KVStore, p: P) => void;
}): MsgRoute {
  return msgRoute<{ authority: string; params?: P }>({
    typeUrl: o.typeUrl,
    type: o.type,
    signers: (m) => [m.authority],
    validate(m) {
      validateAddress(m.authority, "authority");
      if (!m.params) throw govErrors.invalidProposalMsg.wrap("params are missing");
      o.validate(m.params);
    },
    handle(ctx, m) {
      requireGovAuthority(m.authority);
      o.set(ctx.store, m.params!);
      ctx.events.emit("update_params", { module: o.typeUrl.split(".")[1] ?? "", authority: m.authority });
      return { typeUrl: `${o.typeUrl}Response`, value: new Uint8Array() };
    },
  });
}
