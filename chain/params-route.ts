import { validateAddress } from "./address.ts";
import { registerError } from "./errors.ts";
import { GOV_MODULE, moduleAddress } from "./module-accounts.ts";
import { msgRoute, type MsgRoute, type ProtoType } from "./module.ts";
import type { KVStore } from "./store/kv.ts";

/**
 * The one route by which governance changes a module's parameters: a module registers
 * its MsgUpdateParams type, how its params are checked and where they are stored, and
 * needs nothing of x/gov; x/gov runs a passed proposal's messages through the app's
 * router as the gov account (govAuthority), and needs nothing of the modules it governs.
 */

/** The two x/gov errors this route raises (gov's codespace, the SDK's codes); x/gov's errors.ts lists them with the rest. */
export const paramsRouteErrors = {
  invalidProposalMsg: registerError("gov", 12, "invalid proposal message"),
  invalidSigner: registerError("gov", 13, "expected gov account as only signer for proposal message"),
} as const;

/** The gov module account: the only signer of MsgUpdateParams, and of messages run by passed proposals. */
export const govAuthority = (): string => moduleAddress(GOV_MODULE);

/** For every MsgUpdateParams handler: only governance changes parameters. */
export function requireGovAuthority(authority: string): void {
  if (authority !== govAuthority()) throw paramsRouteErrors.invalidSigner.wrap(`invalid authority; expected ${govAuthority()}, got ${authority}`);
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
      if (!m.params) throw paramsRouteErrors.invalidProposalMsg.wrap("params are missing");
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
