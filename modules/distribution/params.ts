import { Params } from "cosmjs-types/cosmos/distribution/v1beta1/distribution";
import { decFromString, decFromWire, decToString, DEC_ONE } from "../../chain/dec.ts";
import { sdkErrors } from "../../chain/errors.ts";

/** The SDK's defaults: 2% of every block's rewards to the community pool; proposer rewards are deprecated (0). */
export const defaultDistributionParams: Params = {
  communityTax: (DEC_ONE / 50n).toString(),
  baseProposerReward: "0",
  bonusProposerReward: "0",
  withdrawAddrEnabled: true,
};

export function validateDistributionParams(p: Params): void {
  const tax = decFromWire(p.communityTax, "community_tax");
  if (tax < 0n || tax > DEC_ONE) throw sdkErrors.invalidRequest.wrap(`community tax must be between 0 and 1, got ${decToString(tax)}`);
  for (const [name, v] of [["base_proposer_reward", p.baseProposerReward], ["bonus_proposer_reward", p.bonusProposerReward]] as const) {
    if (decFromWire(v, name) < 0n) throw sdkErrors.invalidRequest.wrap(`${name} must not be negative`);
  }
}

export function distributionParamsFromJson(j: Record<string, unknown> | undefined): Params {
  if (!j) return defaultDistributionParams;
  const dec = (k: string, d: string) => (j[k] === undefined ? d : decFromString(String(j[k]), k).toString());
  const enabled = j["withdraw_addr_enabled"];
  if (enabled !== undefined && typeof enabled !== "boolean") throw sdkErrors.invalidRequest.wrap("withdraw_addr_enabled must be true or false");
  const p: Params = {
    communityTax: dec("community_tax", defaultDistributionParams.communityTax),
    baseProposerReward: dec("base_proposer_reward", "0"),
    bonusProposerReward: dec("bonus_proposer_reward", "0"),
    withdrawAddrEnabled: enabled ?? true,
  };
  validateDistributionParams(p);
  return p;
}

export function distributionParamsToJson(p: Params): Record<string, unknown> {
  return {
    community_tax: decToString(decFromWire(p.communityTax)),
    base_proposer_reward: decToString(decFromWire(p.baseProposerReward)),
    bonus_proposer_reward: decToString(decFromWire(p.bonusProposerReward)),
    withdraw_addr_enabled: p.withdrawAddrEnabled,
  };
}
