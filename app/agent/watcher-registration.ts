import type { Logger } from "pino";
import { bondCoin } from "../common/cli.ts";
import type { ChainClient } from "../../workers/runtime/chain-client.ts";
import type { AgentConfig } from "./config.ts";

/** Watcher mode needs the operator registered as a watcher with its stake; does it once. */
export async function ensureWatcher(chain: ChainClient, cfg: AgentConfig, log: Logger): Promise<void> {
  const existing = await chain.q.aro.watcher.Watcher({ address: chain.address }).catch(() => undefined);
  if (existing?.watcher) return;
  await chain.send([{ typeUrl: "/aro.watcher.v1.MsgRegisterWatcher", value: { address: chain.address, region: cfg.node.region, stake: bondCoin(cfg.watcher.stake) } }]);
  log.info({ watcher: chain.address, stake: cfg.watcher.stake }, "registered as a watcher");
}
