import type { Logger } from "pino";
import type { Blockstore } from "../../client/content/blockstore.ts";
import type { Windows } from "../../workers/gpow/prover.ts";
import type { NodeIdentity } from "../../workers/dts/challenge.ts";
import type { AroHost } from "../../workers/p2p/host.ts";
import type { ChainClient } from "../../workers/runtime/chain-client.ts";
import type { AgentDb } from "../../workers/runtime/state-db.ts";
import type { AgentConfig } from "./config.ts";
import type { AgentMetrics } from "./metrics.ts";

/** One background duty run on every new block (a duty still busy with an earlier block skips it). */
export interface BlockDuty {
  readonly name: string;
  tick(height: bigint): Promise<void>;
}

export type Closer = () => Promise<unknown>;

/**
 * What the agent's starters wire into: the agent's components, and its lists of duties
 * (run each block, in order) and closers (run on stop, in order; a starter unshifts its
 * own so that what started last closes first).
 */
export interface AgentWiring {
  readonly cfg: AgentConfig;
  readonly log: Logger;
  readonly db: AgentDb;
  readonly store: Blockstore;
  readonly chain: ChainClient;
  readonly host: AroHost;
  /** signs watchers' and routing's challenges as the peer id registered on chain */
  readonly identity: NodeIdentity;
  readonly metrics: AgentMetrics;
  readonly windows: Windows;
  readonly duties: BlockDuty[];
  readonly closers: Closer[];
}
