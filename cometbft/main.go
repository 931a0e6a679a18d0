// The CometBFT that runs beside arod: the pinned CometBFT release, its own commands and
// its own node, with one change at the place CometBFT's main leaves for it (the node
// provider): the app's socket connections use this folder's ABCI socket client, which
// sends a request the moment nothing else is queued (see socket_client.go). Consensus,
// p2p, mempool, storage and the ABCI protocol are CometBFT's.
package main

import (
	"os"
	"path/filepath"

	cmd "github.com/cometbft/cometbft/cmd/cometbft/commands"
	"github.com/cometbft/cometbft/cmd/cometbft/commands/debug"
	cfg "github.com/cometbft/cometbft/config"
	"github.com/cometbft/cometbft/libs/cli"
)

func main() {
	root := cmd.RootCmd
	root.AddCommand(
		cmd.GenValidatorCmd,
		cmd.InitFilesCmd,
		cmd.LightCmd,
		cmd.ReplayCmd,
		cmd.ReplayConsoleCmd,
		cmd.ResetAllCmd,
		cmd.ResetPrivValidatorCmd,
		cmd.ResetStateCmd,
		cmd.ShowValidatorCmd,
		cmd.TestnetFilesCmd,
		cmd.ShowNodeIDCmd,
		cmd.ReIndexEventCmd,
		cmd.GenNodeKeyCmd,
		cmd.VersionCmd,
		cmd.RollbackStateCmd,
		cmd.CompactGoLevelDBCmd,
		cmd.InspectCmd,
		debug.DebugCmd,
		cli.NewCompletionCmd(root, true),
		cmd.NewRunNodeCmd(newNode),
	)
	exec := cli.PrepareBaseCmd(root, "CMT", os.ExpandEnv(filepath.Join("$HOME", cfg.DefaultTendermintDir)))
	if err := exec.Execute(); err != nil {
		os.Exit(1)
	}
}
