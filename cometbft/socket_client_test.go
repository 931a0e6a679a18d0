package main

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cometbft/cometbft/abci/example/kvstore"
	abciserver "github.com/cometbft/cometbft/abci/server"
	"github.com/cometbft/cometbft/abci/types"
)

// startKVStore runs CometBFT's own ABCI socket server with its kvstore app, and a client to it.
func startKVStore(t *testing.T) *socketClient {
	t.Helper()
	addr := "unix://" + filepath.Join(t.TempDir(), "abci.sock")
	server := abciserver.NewSocketServer(addr, kvstore.NewInMemoryApplication())
	if err := server.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = server.Stop() })
	client := newSocketClient(addr, true)
	if err := client.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Stop() })
	return client
}

func TestSyncCallsGetTheirOwnResponses(t *testing.T) {
	client := startKVStore(t)
	ctx := context.Background()
	echo, err := client.Echo(ctx, "hello")
	if err != nil || echo.Message != "hello" {
		t.Fatalf("echo: %v %v", echo, err)
	}
	if _, err := client.Info(ctx, &types.RequestInfo{}); err != nil {
		t.Fatal(err)
	}
	bad, err := client.CheckTx(ctx, &types.RequestCheckTx{Tx: []byte("no equals sign")})
	if err != nil || bad.Code == 0 {
		t.Fatalf("a malformed kvstore tx must be refused: %v %v", bad, err)
	}
	if err := client.Flush(ctx); err != nil {
		t.Fatal(err)
	}
}

// The mempool's way: CheckTxAsync from many goroutines, never a Flush; every response
// must reach its own callback and the global one, in the order the requests were queued.
func TestAsyncCheckTxsAreAnsweredWithoutAFlush(t *testing.T) {
	client := startKVStore(t)
	var global atomic.Int64
	client.SetResponseCallback(func(req *types.Request, res *types.Response) {
		if req.GetCheckTx() != nil && res.GetCheckTx() != nil {
			global.Add(1)
		}
	})
	const workers, perWorker = 8, 500
	var wg sync.WaitGroup
	errs := make(chan error, workers*perWorker)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < perWorker; i++ {
				tx := []byte(fmt.Sprintf("k%d-%d=v", w, i))
				if i%10 == 0 {
					tx = []byte("malformed") // refused: checks a response is not another request's
				}
				rr, err := client.CheckTxAsync(context.Background(), &types.RequestCheckTx{Tx: tx})
				if err != nil {
					errs <- err
					return
				}
				done := make(chan uint32, 1)
				rr.SetCallback(func(res *types.Response) { done <- res.GetCheckTx().Code })
				select {
				case code := <-done:
					if (code == 0) != (i%10 != 0) {
						errs <- fmt.Errorf("tx %q got code %d", tx, code)
					}
				case <-time.After(10 * time.Second):
					errs <- fmt.Errorf("no response to %q without a flush", tx)
					return
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if got := global.Load(); got != workers*perWorker {
		t.Fatalf("global callback saw %d CheckTx responses, want %d", got, workers*perWorker)
	}
}

// When the app drops the connection, a waiting call returns an error instead of hanging.
func TestCallsFailWhenTheAppDropsTheConnection(t *testing.T) {
	path := filepath.Join(t.TempDir(), "abci.sock")
	listener, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer listener.Close()
	go func() {
		conn, err := listener.Accept()
		if err != nil {
			return
		}
		_, _ = conn.Read(make([]byte, 64)) // the first request arrives; then the app is gone
		conn.Close()
	}()
	client := newSocketClient("unix://"+path, true)
	if err := client.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = client.Stop() }()
	result := make(chan error, 1)
	go func() { _, err := client.Info(context.Background(), &types.RequestInfo{}); result <- err }()
	select {
	case err := <-result:
		if err == nil {
			t.Fatal("a call whose connection dropped must fail")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a call whose connection dropped hangs")
	}
	if client.IsRunning() {
		t.Fatal("the client still runs after its connection dropped")
	}
	if _, err := client.Echo(context.Background(), "again"); err == nil {
		t.Fatal("a call on a stopped client must fail")
	}
}
