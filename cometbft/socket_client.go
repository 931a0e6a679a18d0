package main

import (
	"bufio"
	"container/list"
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	abcicli "github.com/cometbft/cometbft/abci/client"
	"github.com/cometbft/cometbft/abci/types"
	cmtnet "github.com/cometbft/cometbft/libs/net"
	"github.com/cometbft/cometbft/libs/service"
)

// socketClient speaks CometBFT's ABCI socket protocol (length-prefixed protobuf
// Requests, answered in order) like CometBFT's own client, with one difference: its
// writer sends whatever is queued, with a Flush request behind it, the moment the queue
// is empty. CometBFT's
// client writes only when a Flush is queued, by the caller or by a ThrottleTimer built
// with `flushThrottleMS = 20` as a time.Duration (20 ns): so a mempool CheckTx waits for
// that timer, and while the writer is busy the timer re-arms itself every 20 ns (a quarter
// of CometBFT's CPU under a 1,000 tx/s load, in pprof).
type socketClient struct {
	service.BaseService
	addr        string
	mustConnect bool
	conn        net.Conn
	queue       chan *abcicli.ReqRes

	mtx     sync.Mutex
	err     error
	stopped bool
	sent    *list.List // written, waiting for their responses, oldest first
	resCb   abcicli.Callback
}

var errClientStopped = errors.New("abci socket client stopped")

const dialRetryInterval = 3 * time.Second

func newSocketClient(addr string, mustConnect bool) *socketClient {
	c := &socketClient{addr: addr, mustConnect: mustConnect, queue: make(chan *abcicli.ReqRes, 1024), sent: list.New()}
	c.BaseService = *service.NewBaseService(nil, "aroSocketClient", c)
	return c
}

func (c *socketClient) OnStart() error {
	for {
		conn, err := cmtnet.Connect(c.addr)
		if err == nil {
			c.conn = conn
			go c.sendRoutine(conn)
			go c.recvRoutine(conn)
			return nil
		}
		if c.mustConnect {
			return err
		}
		c.Logger.Error(fmt.Sprintf("abci socket client failed to connect to %v; retrying in %v", c.addr, dialRetryInterval), "err", err)
		time.Sleep(dialRetryInterval)
	}
}

func (c *socketClient) OnStop() {
	if c.conn != nil {
		c.conn.Close()
	}
	c.mtx.Lock()
	defer c.mtx.Unlock()
	c.stopped = true
	// release every waiter: they see Error()
	for e := c.sent.Front(); e != nil; e = e.Next() {
		e.Value.(*abcicli.ReqRes).Done()
	}
	c.sent.Init()
	c.releaseQueuedLocked()
}

// releaseQueuedLocked marks every request still queued done (each is received once, so done once).
func (c *socketClient) releaseQueuedLocked() {
	for {
		select {
		case rr := <-c.queue:
			rr.Done()
		default:
			return
		}
	}
}

func (c *socketClient) Error() error {
	c.mtx.Lock()
	defer c.mtx.Unlock()
	return c.err
}

func (c *socketClient) SetResponseCallback(cb abcicli.Callback) {
	c.mtx.Lock()
	c.resCb = cb
	c.mtx.Unlock()
}

func (c *socketClient) stopForError(err error) {
	if !c.IsRunning() {
		return
	}
	c.mtx.Lock()
	if c.err == nil {
		c.err = err
	}
	c.mtx.Unlock()
	c.Logger.Error("stopping the abci socket client", "err", err)
	if err := c.Stop(); err != nil {
		c.Logger.Error("error stopping the abci socket client", "err", err)
	}
}

// sendRoutine writes requests as they come and flushes whenever none is waiting.
func (c *socketClient) sendRoutine(conn net.Conn) {
	w := bufio.NewWriter(conn)
	for {
		var rr *abcicli.ReqRes
		select {
		case rr = <-c.queue:
		case <-c.Quit():
			return
		}
	batch:
		for {
			if !c.write(w, rr) {
				return
			}
			select {
			case rr = <-c.queue:
			default:
				break batch
			}
		}
		// The protocol lets an app hold its responses until it reads a Flush (CometBFT's
		// own server does): end every batch with one.
		if _, isFlush := rr.Request.Value.(*types.Request_Flush); !isFlush && !c.write(w, abcicli.NewReqRes(types.ToRequestFlush())) {
			return
		}
		if err := w.Flush(); err != nil {
			c.stopForError(fmt.Errorf("flush requests: %w", err))
			return
		}
	}
}

func (c *socketClient) write(w *bufio.Writer, rr *abcicli.ReqRes) bool {
	if !c.track(rr) {
		return false
	}
	if err := types.WriteMessage(rr.Request, w); err != nil {
		c.stopForError(fmt.Errorf("write request: %w", err))
		return false
	}
	return true
}

// track records a request before it is written (its response may come at once).
func (c *socketClient) track(rr *abcicli.ReqRes) bool {
	c.mtx.Lock()
	defer c.mtx.Unlock()
	if c.stopped {
		rr.Done()
		return false
	}
	c.sent.PushBack(rr)
	return true
}

func (c *socketClient) recvRoutine(conn net.Conn) {
	r := bufio.NewReader(conn)
	for c.IsRunning() {
		res := &types.Response{}
		if err := types.ReadMessage(r, res); err != nil {
			c.stopForError(fmt.Errorf("read response: %w", err))
			return
		}
		if e, ok := res.Value.(*types.Response_Exception); ok {
			c.stopForError(errors.New(e.Exception.Error))
			return
		}
		if err := c.didReceive(res); err != nil {
			c.stopForError(err)
			return
		}
	}
}

func (c *socketClient) didReceive(res *types.Response) error {
	c.mtx.Lock()
	defer c.mtx.Unlock()
	front := c.sent.Front()
	if front == nil {
		return fmt.Errorf("unexpected response %T when no call was made", res.Value)
	}
	rr := front.Value.(*abcicli.ReqRes)
	if !responseMatches(rr.Request, res) {
		return fmt.Errorf("unexpected response %T to the request %T", res.Value, rr.Request.Value)
	}
	rr.Response = res
	rr.Done()
	c.sent.Remove(front)
	if c.resCb != nil {
		c.resCb(rr.Request, res)
	}
	rr.InvokeCallback()
	return nil
}

// responseMatches: *types.Request_X is answered by *types.Response_X.
func responseMatches(req *types.Request, res *types.Response) bool {
	return strings.TrimPrefix(fmt.Sprintf("%T", req.Value), "*types.Request_") ==
		strings.TrimPrefix(fmt.Sprintf("%T", res.Value), "*types.Response_")
}

func (c *socketClient) queueRequest(ctx context.Context, req *types.Request) (*abcicli.ReqRes, error) {
	rr := abcicli.NewReqRes(req)
	select {
	case c.queue <- rr:
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-c.Quit():
		return nil, errClientStopped
	}
	// queued after OnStop released the queue: nobody will send it
	c.mtx.Lock()
	if c.stopped {
		c.releaseQueuedLocked()
	}
	c.mtx.Unlock()
	return rr, nil
}

// call sends a request and waits for its response (or for the client to stop).
func (c *socketClient) call(ctx context.Context, req *types.Request) (*types.Response, error) {
	rr, err := c.queueRequest(ctx, req)
	if err != nil {
		return nil, err
	}
	rr.Wait()
	if err := c.Error(); err != nil {
		return nil, err
	}
	if rr.Response == nil {
		return nil, errClientStopped
	}
	return rr.Response, nil
}
