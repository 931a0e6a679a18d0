import os from "node:os";
import path from "node:path";

/** Where arod keeps its node's files unless --home or AROD_HOME says otherwise (a file of its own: the CLI's options read it without loading the node). */
export const DEFAULT_HOME = path.join(os.homedir(), ".arod");
