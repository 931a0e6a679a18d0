import path from "node:path";
import os from "node:os";

export const DEFAULT_AGENT_HOME = path.join(os.homedir(), ".aro-agent");

export function agentPaths(home: string) {
  return {
    home,
    config: path.join(home, "config.toml"),
    peerKey: path.join(home, "peer_key"),
    db: path.join(home, "data", "agent-db"),
    blocks: path.join(home, "data", "blocks"),
    /** written by a running agent: its pid and the addresses it bound (ports may be 0 in the config) */
    run: path.join(home, "run.json"),
  };
}
