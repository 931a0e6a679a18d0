import * as v1 from "cosmjs-types/cosmos/gov/v1/tx";
import { ProposalStatus } from "cosmjs-types/cosmos/gov/v1/gov";
import type { Any } from "cosmjs-types/google/protobuf/any";
import { validateAddress } from "../../../chain/address.ts";
import { toAmounts } from "../../../chain/coins.ts";
import { decFromString, DEC_ONE } from "../../../chain/dec.ts";
import { sdkErrors } from "../../../chain/errors.ts";
import { msgRoute, type MsgRoute } from "../../../chain/module.ts";
import { reply } from "../../../chain/msg-reply.ts";
import { govAuthority } from "../../../chain/params-route.ts";
import { decodeStrict } from "../../../chain/strict-decode.ts";
import { govErrors } from "../errors.ts";
import { govKeeper, govStore } from "../keeper.ts";
import { addDeposit } from "../proposals.ts";

const MAX_METADATA = 255;

/** A proposal's messages must be known, valid, and signed by the gov account alone. */
export function decodeProposalMessages(routes: ReadonlyMap<string, MsgRoute>, messages: readonly Any[]) {
  if (messages.length === 0) throw govErrors.noProposalMsgs.wrap("");
  return messages.map((any, i) => {
    const route = routes.get(any.typeUrl);
    if (!route) throw govErrors.unroutableProposalMsg.wrap(`message ${i}: ${any.typeUrl}`);
    let msg: unknown;
    try {
      msg = decodeStrict(route.type, any.value, { allowNonCritical: true });
    } catch (err) {
      throw govErrors.invalidProposalMsg.wrap(`message ${i}: ${(err as Error).message}`);
    }
    const signers = route.signers(msg);
    if (signers.length !== 1 || signers[0] !== govAuthority()) throw govErrors.invalidSigner.wrap(`message ${i} (${any.typeUrl}) must be signed by ${govAuthority()}`);
    try {
      route.validate(msg);
    } catch (err) {
      throw govErrors.invalidProposalMsg.wrap(`message ${i}: ${(err as Error).message}`);
    }
    return { route, msg, typeUrl: any.typeUrl };
  });
}

function validateSubmitProposal(m: v1.MsgSubmitProposal): void {
  validateAddress(m.proposer, "proposer");
  toAmounts(m.initialDeposit, { allowEmpty: true });
  if (m.metadata.length > MAX_METADATA || m.title.length > MAX_METADATA) throw govErrors.metadataTooLong.wrap(`max ${MAX_METADATA} characters`);
  if (!m.title) throw govErrors.invalidProposalContent.wrap("title is empty");
  if (m.expedited) throw sdkErrors.notSupported.wrap("expedited proposals are not supported yet");
}

/** MsgSubmitProposal: the messages must route now; the initial deposit must cover min_initial_deposit_ratio of min_deposit. */
export const submitProposal = (routes: () => ReadonlyMap<string, MsgRoute>) => msgRoute<v1.MsgSubmitProposal>({
  typeUrl: "/cosmos.gov.v1.MsgSubmitProposal",
  type: v1.MsgSubmitProposal,
  signers: (m) => [m.proposer],
  validate: validateSubmitProposal,
  handle(ctx, m) {
    decodeProposalMessages(routes(), m.messages);
    const params = govKeeper.getParams(ctx.store);
    const ratio = decFromString(params.minInitialDepositRatio);
    for (const min of params.minDeposit) {
      const need = (BigInt(min.amount) * ratio) / DEC_ONE;
      const have = BigInt(m.initialDeposit.find((c) => c.denom === min.denom)?.amount ?? "0");
      if (have < need) throw govErrors.minDepositTooSmall.wrap(`was (${have}${min.denom}), need (${need}${min.denom})`);
    }
    const id = govKeeper.nextProposalId(ctx.store);
    const end = ctx.block.timeSeconds + params.maxDepositPeriod!.seconds;
    govKeeper.setProposal(ctx.store, {
      id, messages: m.messages, status: ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD,
      finalTallyResult: { yesCount: "0", abstainCount: "0", noCount: "0", noWithVetoCount: "0" },
      submitTime: { seconds: ctx.block.timeSeconds, nanos: 0 }, depositEndTime: { seconds: end, nanos: 0 }, totalDeposit: [],
      metadata: m.metadata, title: m.title, summary: m.summary, proposer: m.proposer, expedited: false, failedReason: "",
    });
    govStore.inactiveQueue.add(ctx.store, [end, id]);
    ctx.events.emit("submit_proposal", { proposal_id: id.toString(), proposal_messages: `,${m.messages.map((x) => x.typeUrl).join(",")}` });
    if (m.initialDeposit.length) addDeposit(ctx, id, m.proposer, m.initialDeposit);
    return reply("/cosmos.gov.v1.MsgSubmitProposalResponse", v1.MsgSubmitProposalResponse, { proposalId: id });
  },
});
