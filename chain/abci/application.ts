import type {
  RequestInfo, ResponseInfo, RequestInitChain, ResponseInitChain, RequestQuery, ResponseQuery,
  RequestCheckTx, ResponseCheckTx, ResponseCommit, RequestPrepareProposal, ResponsePrepareProposal,
  RequestProcessProposal, ResponseProcessProposal, RequestFinalizeBlock, ResponseFinalizeBlock,
  RequestExtendVote, ResponseExtendVote, RequestVerifyVoteExtension, ResponseVerifyVoteExtension,
  ResponseListSnapshots, RequestLoadSnapshotChunk, ResponseLoadSnapshotChunk, RequestOfferSnapshot, ResponseOfferSnapshot,
  RequestApplySnapshotChunk, ResponseApplySnapshotChunk,
} from "cosmjs-types/tendermint/abci/types";

/** What the socket server needs from the state machine. */
export interface AbciApplication {
  info(req: RequestInfo): Promise<Partial<ResponseInfo>>;
  initChain(req: RequestInitChain): Promise<Partial<ResponseInitChain>>;
  query(req: RequestQuery): Promise<Partial<ResponseQuery>>;
  checkTx(req: RequestCheckTx): Partial<ResponseCheckTx>;
  prepareProposal(req: RequestPrepareProposal): Partial<ResponsePrepareProposal>;
  processProposal(req: RequestProcessProposal): Partial<ResponseProcessProposal>;
  extendVote(req: RequestExtendVote): Partial<ResponseExtendVote>;
  verifyVoteExtension(req: RequestVerifyVoteExtension): Partial<ResponseVerifyVoteExtension>;
  finalizeBlock(req: RequestFinalizeBlock): Promise<Partial<ResponseFinalizeBlock>>;
  commit(): Promise<Partial<ResponseCommit>>;
  listSnapshots(): Partial<ResponseListSnapshots>;
  loadSnapshotChunk(req: RequestLoadSnapshotChunk): Partial<ResponseLoadSnapshotChunk>;
  offerSnapshot(req: RequestOfferSnapshot): Promise<Partial<ResponseOfferSnapshot>>;
  applySnapshotChunk(req: RequestApplySnapshotChunk): Promise<Partial<ResponseApplySnapshotChunk>>;
}
