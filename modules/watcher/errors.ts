import { registerError } from "../../chain/errors.ts";

/** aro watcher codespace. */
export const watcherErrors = {
  watcherNotFound: registerError("watcher", 2, "watcher not found"),
  watcherExists: registerError("watcher", 3, "watcher already registered"),
  stakeTooSmall: registerError("watcher", 4, "stake below the minimum"),
  tooManyWatchers: registerError("watcher", 5, "the watcher set is full"),
  jailed: registerError("watcher", 6, "watcher is jailed"),
  outsideWindow: registerError("watcher", 7, "outside the attestation window for this epoch"),
  notInCommittee: registerError("watcher", 8, "watcher is not in this node's committee for the epoch"),
  alreadyAttested: registerError("watcher", 9, "watcher already attested for this epoch"),
  invalidReport: registerError("watcher", 10, "invalid report"),
  noDelegation: registerError("watcher", 11, "no delegation to this watcher"),
  insufficientDelegation: registerError("watcher", 12, "delegation smaller than the amount asked for"),
  notJailed: registerError("watcher", 13, "watcher is not jailed"),
} as const;
