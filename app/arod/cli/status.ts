import { Command } from "commander";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { toHex } from "@cosmjs/encoding";
import { action, print } from "../../common/cli.ts";
import { nodeOption } from "./options.ts";

export function statusCommand(): Command {
  return new Command("status")
    .description("show a node's chain id, height, app hash and sync state")
    .addOption(nodeOption())
    .action(action(async (o) => {
      let client: Comet38Client;
      try {
        client = await Comet38Client.connect(o.node);
      } catch (err) {
        throw new Error(`cannot reach a node at ${o.node}: ${(err as Error).message}`);
      }
      const s = await client.status();
      const info = await client.abciInfo();
      client.disconnect();
      print({
        node_info: { id: toHex(s.nodeInfo.id), network: s.nodeInfo.network, moniker: s.nodeInfo.moniker, version: s.nodeInfo.version },
        sync_info: {
          latest_block_height: s.syncInfo.latestBlockHeight,
          latest_block_hash: toHex(s.syncInfo.latestBlockHash).toUpperCase(),
          latest_app_hash: toHex(s.syncInfo.latestAppHash).toUpperCase(),
          latest_block_time: s.syncInfo.latestBlockTime.toISOString(),
          catching_up: s.syncInfo.catchingUp,
        },
        validator_info: { address: toHex(s.validatorInfo.address).toUpperCase(), voting_power: s.validatorInfo.votingPower },
        app: { name: info.data, last_block_height: info.lastBlockHeight },
      });
    }));
}
