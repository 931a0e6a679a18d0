import { NatType, Service, type Resources } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { decFromString, DEC_ONE } from "../../chain/dec.ts";
import type { Params } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { peernodeErrors } from "./errors.ts";

// libp2p peer ids as printed: Ed25519/secp256k1 keys ("12D3KooW...", "16Uiu2...") or sha256 multihashes ("Qm...").
const PEER_ID = /^(12D3KooW|16Uiu2)[1-9A-HJ-NP-Za-km-z]{40,52}$|^Qm[1-9A-HJ-NP-Za-km-z]{44}$/;
const MAX_TEXT = 256;

export function validatePeerId(peerId: string): void {
  if (!PEER_ID.test(peerId)) throw peernodeErrors.invalidDescription.wrap(`peer id ${JSON.stringify(peerId)} is not a libp2p peer id`);
}

export function validateAddresses(multiaddrs: readonly string[], endpoints: readonly string[], max: number): void {
  if (multiaddrs.length + endpoints.length === 0) throw peernodeErrors.invalidDescription.wrap("a node needs at least one multiaddr or endpoint");
  if (multiaddrs.length > max || endpoints.length > max) throw peernodeErrors.invalidDescription.wrap(`at most ${max} multiaddrs and ${max} endpoints`);
  for (const m of multiaddrs) {
    if (m.length > MAX_TEXT || !/^(\/[a-z0-9-]+\/[^/\s]+)+(\/[a-z0-9-]+)*$/.test(m)) throw peernodeErrors.invalidDescription.wrap(`multiaddr ${JSON.stringify(m)} is not like /ip4/1.2.3.4/tcp/4001`);
  }
  for (const e of endpoints) {
    let url: URL;
    try {
      url = new URL(e);
    } catch {
      throw peernodeErrors.invalidDescription.wrap(`endpoint ${JSON.stringify(e)} is not a URL`);
    }
    if (e.length > MAX_TEXT || (url.protocol !== "http:" && url.protocol !== "https:")) throw peernodeErrors.invalidDescription.wrap(`endpoint ${JSON.stringify(e)} must be an http(s) URL`);
  }
}

export function validateServices(services: readonly Service[]): void {
  if (services.length === 0) throw peernodeErrors.invalidDescription.wrap("a node must offer at least one service (cdn, aidn, hvm)");
  for (const s of services) {
    if (s !== Service.SERVICE_CDN && s !== Service.SERVICE_AIDN && s !== Service.SERVICE_HVM) throw peernodeErrors.invalidDescription.wrap(`unknown service ${s}`);
  }
  if (new Set(services).size !== services.length) throw peernodeErrors.invalidDescription.wrap("services repeat");
}

export function validateNat(nat: NatType): void {
  if (![NatType.NAT_TYPE_PUBLIC, NatType.NAT_TYPE_CONE, NatType.NAT_TYPE_SYMMETRIC].includes(nat)) throw peernodeErrors.invalidDescription.wrap("nat_type must be public, cone or symmetric");
}

export function validateResources(r: Resources | undefined): void {
  if (!r) throw peernodeErrors.invalidDescription.wrap("resources are missing");
  if (r.bandwidthMbps === 0n) throw peernodeErrors.invalidDescription.wrap("bandwidth_mbps must be positive");
}

export function validateRegion(region: string, params: Params): void {
  if (!params.regions.includes(region)) throw peernodeErrors.unknownRegion.wrap(`${JSON.stringify(region)}; known: ${params.regions.join(", ")}`);
}

export function parseCommission(text: string, params: Params): bigint {
  let c: bigint;
  try {
    c = decFromString(text || "0", "commission");
  } catch (err) {
    throw peernodeErrors.invalidDescription.wrap((err as Error).message);
  }
  if (c > DEC_ONE || c > decFromString(params.maxCommission)) throw peernodeErrors.commissionTooHigh.wrap(`${text} > ${params.maxCommission}`);
  return c;
}
