import * as v1 from "cosmjs-types/cosmos/gov/v1/tx";
import * as v1beta1 from "cosmjs-types/cosmos/gov/v1beta1/tx";
import { ProposalStatus, VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import type { Any } from "cosmjs-types/google/protobuf/any";
import { validateAddress } from "../../chain/address.ts";
import { toAmounts } from "../../chain/coins.ts";
import { decFromString, decFromWire, decToString, DEC_ONE } from "../../chain/dec.ts";
import { sdkErrors } from "../../chain/errors.ts";
import { msgRoute, type Context, type MsgRoute } from "../../chain/module.ts";
import { decodeStrict } from "../../chain/strict-decode.ts";
import { govAuthority, requireGovAuthority } from "../../chain/params-route.ts";
import { govErrors } from "./errors.ts";
import { govKeeper, govKeys } from "./keeper.ts";
import { validateGovParams } from "./params.ts";
import { addDeposit } from "./proposals.ts";

const MAX_METADATA = 255;
type Routes = () => ReadonlyMap<string, MsgRoute>;

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

type Weighted = Array<{ option: number; weight: bigint }>;

function castVote(ctx: Context, id: bigint, voter: string, options: Weighted, metadata = ""): void {
  const p = govKeeper.getProposal(ctx.store, id);
  if (!p) throw govErrors.unknownProposal.wrap(`proposal ${id} does not exist`);
  if (p.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD) throw govErrors.inactiveProposal.wrap(`proposal ${id} is not in its voting period`);
  govKeeper.setVote(ctx.store, { proposalId: id, voter, metadata, options: options.map((o) => ({ option: o.option, weight: decToString(o.weight) })) });
  ctx.events.emit("proposal_vote", { option: JSON.stringify(options.map((o) => ({ option: VoteOption[o.option], weight: decToString(o.weight) }))), proposal_id: id.toString(), voter });
}

function validateOptions(options: Weighted): void {
  if (options.length === 0) throw govErrors.invalidVote.wrap("no options");
  const seen = new Set<number>();
  let sum = 0n;
  for (const o of options) {
    if (o.option < 1 || o.option > 4) throw govErrors.invalidVote.wrap(`unknown option ${o.option}`);
    if (seen.has(o.option)) throw govErrors.invalidVote.wrap(`duplicate option ${VoteOption[o.option]}`);
    if (o.weight <= 0n || o.weight > DEC_ONE) throw govErrors.invalidVote.wrap("each weight must be in (0, 1]");
    seen.add(o.option);
    sum += o.weight;
  }
  if (sum !== DEC_ONE) throw govErrors.invalidVote.wrap("weights must add up to 1");
}

const ok = (typeUrl: string, value: Uint8Array) => ({ typeUrl, value });

export function govMsgs(routes: Routes): MsgRoute[] {
  return [
    msgRoute<v1.MsgSubmitProposal>({
      typeUrl: "/cosmos.gov.v1.MsgSubmitProposal",
      type: v1.MsgSubmitProposal,
      signers: (m) => [m.proposer],
      validate(m) {
        validateAddress(m.proposer, "proposer");
        toAmounts(m.initialDeposit, { allowEmpty: true });
        if (m.metadata.length > MAX_METADATA || m.title.length > MAX_METADATA) throw govErrors.metadataTooLong.wrap(`max ${MAX_METADATA} characters`);
        if (!m.title) throw govErrors.invalidProposalContent.wrap("title is empty");
        if (m.expedited) throw sdkErrors.notSupported.wrap("expedited proposals are not supported yet");
      },
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
        ctx.store.set(govKeys.queueEntry(govKeys.inactiveQueue, end, id), new Uint8Array());
        ctx.events.emit("submit_proposal", { proposal_id: id.toString(), proposal_messages: `,${m.messages.map((x) => x.typeUrl).join(",")}` });
        if (m.initialDeposit.length) addDeposit(ctx, id, m.proposer, m.initialDeposit);
        return ok("/cosmos.gov.v1.MsgSubmitProposalResponse", v1.MsgSubmitProposalResponse.encode({ proposalId: id }).finish());
      },
    }),
    msgRoute<v1.MsgDeposit>({
      typeUrl: "/cosmos.gov.v1.MsgDeposit",
      type: v1.MsgDeposit,
      signers: (m) => [m.depositor],
      validate: (m) => (validateAddress(m.depositor, "depositor"), void toAmounts(m.amount)),
      handle: (ctx, m) => (addDeposit(ctx, m.proposalId, m.depositor, m.amount), ok("/cosmos.gov.v1.MsgDepositResponse", v1.MsgDepositResponse.encode({}).finish())),
    }),
    msgRoute<v1beta1.MsgDeposit>({
      typeUrl: "/cosmos.gov.v1beta1.MsgDeposit",
      type: v1beta1.MsgDeposit,
      signers: (m) => [m.depositor],
      validate: (m) => (validateAddress(m.depositor, "depositor"), void toAmounts(m.amount)),
      handle: (ctx, m) => (addDeposit(ctx, m.proposalId, m.depositor, m.amount), ok("/cosmos.gov.v1beta1.MsgDepositResponse", v1beta1.MsgDepositResponse.encode({}).finish())),
    }),
    msgRoute<v1.MsgVote>({
      typeUrl: "/cosmos.gov.v1.MsgVote",
      type: v1.MsgVote,
      signers: (m) => [m.voter],
      validate: (m) => (validateAddress(m.voter, "voter"), validateOptions([{ option: m.option, weight: DEC_ONE }])),
      handle: (ctx, m) => (castVote(ctx, m.proposalId, m.voter, [{ option: m.option, weight: DEC_ONE }], m.metadata), ok("/cosmos.gov.v1.MsgVoteResponse", v1.MsgVoteResponse.encode({}).finish())),
    }),
    msgRoute<v1beta1.MsgVote>({
      typeUrl: "/cosmos.gov.v1beta1.MsgVote",
      type: v1beta1.MsgVote,
      signers: (m) => [m.voter],
      validate: (m) => (validateAddress(m.voter, "voter"), validateOptions([{ option: m.option, weight: DEC_ONE }])),
      handle: (ctx, m) => (castVote(ctx, m.proposalId, m.voter, [{ option: m.option, weight: DEC_ONE }]), ok("/cosmos.gov.v1beta1.MsgVoteResponse", v1beta1.MsgVoteResponse.encode({}).finish())),
    }),
    msgRoute<v1.MsgVoteWeighted>({
      typeUrl: "/cosmos.gov.v1.MsgVoteWeighted",
      type: v1.MsgVoteWeighted,
      signers: (m) => [m.voter],
      validate: (m) => (validateAddress(m.voter, "voter"), validateOptions(m.options.map((o) => ({ option: o.option, weight: decFromString(o.weight, "weight") })))),
      handle: (ctx, m) => {
        castVote(ctx, m.proposalId, m.voter, m.options.map((o) => ({ option: o.option, weight: decFromString(o.weight) })), m.metadata);
        return ok("/cosmos.gov.v1.MsgVoteWeightedResponse", v1.MsgVoteWeightedResponse.encode({}).finish());
      },
    }),
    msgRoute<v1beta1.MsgVoteWeighted>({
      typeUrl: "/cosmos.gov.v1beta1.MsgVoteWeighted",
      type: v1beta1.MsgVoteWeighted,
      signers: (m) => [m.voter],
      // v1beta1 weights are LegacyDec on the wire: the integer scaled by 10^18
      validate: (m) => (validateAddress(m.voter, "voter"), validateOptions(m.options.map((o) => ({ option: o.option, weight: decFromWire(o.weight, "weight") })))),
      handle: (ctx, m) => {
        castVote(ctx, m.proposalId, m.voter, m.options.map((o) => ({ option: o.option, weight: decFromWire(o.weight) })));
        return ok("/cosmos.gov.v1beta1.MsgVoteWeightedResponse", v1beta1.MsgVoteWeightedResponse.encode({}).finish());
      },
    }),
    msgRoute<v1.MsgUpdateParams>({
      typeUrl: "/cosmos.gov.v1.MsgUpdateParams",
      type: v1.MsgUpdateParams,
      signers: (m) => [m.authority],
      validate: (m) => (validateAddress(m.authority, "authority"), validateGovParams(m.params)),
      handle: (ctx, m) => {
        requireGovAuthority(m.authority);
        govKeeper.setParams(ctx.store, m.params);
        return ok("/cosmos.gov.v1.MsgUpdateParamsResponse", v1.MsgUpdateParamsResponse.encode({}).finish());
      },
    }),
  ];
}
