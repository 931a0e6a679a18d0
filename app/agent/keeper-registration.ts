import type { Logger } from "pino";
import { bondCoin } from "../common/cli.ts";
import type { ChainClient } from "../../workers/runtime/chain-client.ts";
import type { AgentConfig } from "./config.ts";

/** Keeper mode needs the operator registered as a keeper with its stake; does it once. */
export async function ensureKeeper(chain: ChainClient, cfg: AgentConfig, log: Logger): Promise<void> {
  const existing = await chain.q.aro.keeper.Keeper({ address: chain.address }).catch(() => undefined);
  if (existing?.keeper) return;
  await chain.send([{ typeUrl: "/aro.keeper.v1.MsgRegisterKeeper", value: { address: chain.address, region: cfg.node.region, stake: bondCoin(cfg.keeper.stake) } }]);
  log.info({ keeper: chain.address, stake: cfg.keeper.stake }, "registered as a keeper");
}
