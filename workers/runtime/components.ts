import type { Logger } from "pino";
import type { Blockstore } from "../../client/content/blockstore.ts";
import type { AroHost } from "../p2p/host.ts";
import type { ChainClient } from "./chain-client.ts";
import type { AgentDb } from "./state-db.ts";

/**
 * What the agent hands every worker (as js-libp2p hands its services their components):
 * each worker is a factory `worker(init)(components)` that picks the parts it needs, so
 * its construction names what it uses instead of a row of positional arguments.
 */
export interface WorkerComponents {
  /** signs and sends txs, runs queries */
  readonly chain: ChainClient;
  /** the agent's durable local database */
  readonly db: AgentDb;
  /** verified content chunks on disk */
  readonly store: Blockstore;
  /** the libp2p host (DHT, relays, PeerDTS over libp2p) */
  readonly host: AroHost;
  /** the worker's logger (the agent passes a child named for the worker) */
  readonly log: Logger;
}
