import { assignmentIndex } from "./assignment-index.ts";
import { commissionHistory } from "./commission-history.ts";
import { guarantees, poolOf } from "./guarantees.ts";
import { nodePicker } from "./node-picker.ts";
import { nodes } from "./nodes.ts";
import { rewards } from "./rewards.ts";
import { slashing } from "./slashing.ts";
import { unbondings } from "./unbondings.ts";

export { poolOf };

/**
 * State access of aro/peernode: the one object other modules use, composed of its parts
 * (node records, assignment indexes and picking, guarantees, unbondings, slashing,
 * commission history, rewards). Stateless: every call takes the store or context.
 */
export const peernodeKeeper = {
  ...nodes,
  ...assignmentIndex,
  ...nodePicker,
  ...guarantees,
  ...unbondings,
  ...slashing,
  ...commissionHistory,
  ...rewards,
};
