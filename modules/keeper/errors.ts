import { registerError } from "../../chain/errors.ts";

/** aro keeper codespace. */
export const keeperErrors = {
  keeperNotFound: registerError("keeper", 2, "keeper not found"),
  keeperExists: registerError("keeper", 3, "keeper already registered"),
  stakeTooSmall: registerError("keeper", 4, "stake below the minimum"),
  tooManyKeepers: registerError("keeper", 5, "the keeper set is full"),
  jailed: registerError("keeper", 6, "keeper is jailed"),
  outsideWindow: registerError("keeper", 7, "outside the attestation window for this epoch"),
  notInCommittee: registerError("keeper", 8, "keeper is not in this node's committee for the epoch"),
  alreadyAttested: registerError("keeper", 9, "keeper already attested for this epoch"),
  invalidReport: registerError("keeper", 10, "invalid report"),
  noDelegation: registerError("keeper", 11, "no delegation to this keeper"),
  insufficientDelegation: registerError("keeper", 12, "delegation smaller than the amount asked for"),
  notJailed: registerError("keeper", 13, "keeper is not jailed"),
} as const;
