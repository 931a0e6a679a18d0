package main

import (
	"fmt"
	"os"
	"strings"

	abcicli "github.com/cometbft/cometbft/abci/client"
	cfg "github.com/cometbft/cometbft/config"
	"github.com/cometbft/cometbft/libs/log"
	nm "github.com/cometbft/cometbft/node"
	"github.com/cometbft/cometbft/p2p"
	"github.com/cometbft/cometbft/privval"
	"github.com/cometbft/cometbft/proxy"
)

// newNode is CometBFT's DefaultNewNode with the app's socket connections made by this
// folder's socketClient. ARO_ABCI_CLIENT=cometbft keeps CometBFT's own client (to compare).
func newNode(config *cfg.Config, logger log.Logger) (*nm.Node, error) {
	nodeKey, err := p2p.LoadOrGenNodeKey(config.NodeKeyFile())
	if err != nil {
		return nil, fmt.Errorf("failed to load or gen node key %s: %w", config.NodeKeyFile(), err)
	}
	creator := proxy.DefaultClientCreator(config.ProxyApp, config.ABCI, config.DBDir())
	if config.ABCI == "socket" && isRemote(config.ProxyApp) && os.Getenv("ARO_ABCI_CLIENT") != "cometbft" {
		creator = socketClientCreator{addr: config.ProxyApp}
	}
	return nm.NewNode(config,
		privval.LoadOrGenFilePV(config.PrivValidatorKeyFile(), config.PrivValidatorStateFile()),
		nodeKey,
		creator,
		nm.DefaultGenesisDocProviderFunc(config),
		cfg.DefaultDBProvider,
		nm.DefaultMetricsProvider(config.Instrumentation),
		logger,
	)
}

func isRemote(addr string) bool {
	return strings.HasPrefix(addr, "tcp://") || strings.HasPrefix(addr, "unix://")
}

// socketClientCreator: one socketClient for each of CometBFT's four app connections.
type socketClientCreator struct{ addr string }

func (s socketClientCreator) NewABCIClient() (abcicli.Client, error) {
	return newSocketClient(s.addr, true), nil
}
