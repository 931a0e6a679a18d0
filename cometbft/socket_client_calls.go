package main

import (
	"context"

	abcicli "github.com/cometbft/cometbft/abci/client"
	"github.com/cometbft/cometbft/abci/types"
)

// The calls of abcicli.Client, each a request and its matching response.

func (c *socketClient) CheckTxAsync(ctx context.Context, req *types.RequestCheckTx) (*abcicli.ReqRes, error) {
	return c.queueRequest(ctx, types.ToRequestCheckTx(req))
}

func (c *socketClient) Flush(ctx context.Context) error {
	_, err := c.call(ctx, types.ToRequestFlush())
	return err
}

func (c *socketClient) Echo(ctx context.Context, msg string) (*types.ResponseEcho, error) {
	res, err := c.call(ctx, types.ToRequestEcho(msg))
	return res.GetEcho(), err
}

func (c *socketClient) Info(ctx context.Context, req *types.RequestInfo) (*types.ResponseInfo, error) {
	res, err := c.call(ctx, types.ToRequestInfo(req))
	return res.GetInfo(), err
}

func (c *socketClient) Query(ctx context.Context, req *types.RequestQuery) (*types.ResponseQuery, error) {
	res, err := c.call(ctx, types.ToRequestQuery(req))
	return res.GetQuery(), err
}

func (c *socketClient) CheckTx(ctx context.Context, req *types.RequestCheckTx) (*types.ResponseCheckTx, error) {
	res, err := c.call(ctx, types.ToRequestCheckTx(req))
	return res.GetCheckTx(), err
}

func (c *socketClient) InitChain(ctx context.Context, req *types.RequestInitChain) (*types.ResponseInitChain, error) {
	res, err := c.call(ctx, types.ToRequestInitChain(req))
	return res.GetInitChain(), err
}

func (c *socketClient) PrepareProposal(ctx context.Context, req *types.RequestPrepareProposal) (*types.ResponsePrepareProposal, error) {
	res, err := c.call(ctx, types.ToRequestPrepareProposal(req))
	return res.GetPrepareProposal(), err
}

func (c *socketClient) ProcessProposal(ctx context.Context, req *types.RequestProcessProposal) (*types.ResponseProcessProposal, error) {
	res, err := c.call(ctx, types.ToRequestProcessProposal(req))
	return res.GetProcessProposal(), err
}

func (c *socketClient) ExtendVote(ctx context.Context, req *types.RequestExtendVote) (*types.ResponseExtendVote, error) {
	res, err := c.call(ctx, types.ToRequestExtendVote(req))
	return res.GetExtendVote(), err
}

func (c *socketClient) VerifyVoteExtension(ctx context.Context, req *types.RequestVerifyVoteExtension) (*types.ResponseVerifyVoteExtension, error) {
	res, err := c.call(ctx, types.ToRequestVerifyVoteExtension(req))
	return res.GetVerifyVoteExtension(), err
}

func (c *socketClient) FinalizeBlock(ctx context.Context, req *types.RequestFinalizeBlock) (*types.ResponseFinalizeBlock, error) {
	res, err := c.call(ctx, types.ToRequestFinalizeBlock(req))
	return res.GetFinalizeBlock(), err
}

func (c *socketClient) Commit(ctx context.Context, req *types.RequestCommit) (*types.ResponseCommit, error) {
	res, err := c.call(ctx, types.ToRequestCommit())
	return res.GetCommit(), err
}

func (c *socketClient) ListSnapshots(ctx context.Context, req *types.RequestListSnapshots) (*types.ResponseListSnapshots, error) {
	res, err := c.call(ctx, types.ToRequestListSnapshots(req))
	return res.GetListSnapshots(), err
}

func (c *socketClient) OfferSnapshot(ctx context.Context, req *types.RequestOfferSnapshot) (*types.ResponseOfferSnapshot, error) {
	res, err := c.call(ctx, types.ToRequestOfferSnapshot(req))
	return res.GetOfferSnapshot(), err
}

func (c *socketClient) LoadSnapshotChunk(ctx context.Context, req *types.RequestLoadSnapshotChunk) (*types.ResponseLoadSnapshotChunk, error) {
	res, err := c.call(ctx, types.ToRequestLoadSnapshotChunk(req))
	return res.GetLoadSnapshotChunk(), err
}

func (c *socketClient) ApplySnapshotChunk(ctx context.Context, req *types.RequestApplySnapshotChunk) (*types.ResponseApplySnapshotChunk, error) {
	res, err := c.call(ctx, types.ToRequestApplySnapshotChunk(req))
	return res.GetApplySnapshotChunk(), err
}
