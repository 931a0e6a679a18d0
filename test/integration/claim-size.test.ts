import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { MsgSubmitClaim } from "../../proto/gen/aro/gpow/v1/tx.ts";
import { MAX_TX_BYTES } from "../../chain/tx/decode.ts";
import { defaultGpowParams, MAX_CLIENTS_PER_CLAIM, validateGpowParams } from "../../modules/gpow/params.ts";
import { EpochClaim } from "../../workers/gpow/epoch-claim.ts";
import { ReceiptSigner } from "../../client/receipts/receipt-signer.ts";

describe("gpow: a claim with the most clients a claim may list fits in one tx", () => {
  it(`${MAX_CLIENTS_PER_CLAIM} clients, each with its signed tally, encode under MAX_TX_BYTES; more is refused as a parameter`, async function () {
    this.timeout(60_000);
    const receipts = [];
    for (let i = 0; i < MAX_CLIENTS_PER_CLAIM; i++) {
      const signer = await ReceiptSigner.fromPrivateKey(new Uint8Array(randomBytes(32)));
      receipts.push(await signer.sign({ nodeId: 123_456n, contentId: "ab".repeat(32), rangeStart: 0n, rangeEnd: 1n << 30n, epoch: 99_999n, nonce: BigInt(i) + (1n << 60n) }));
    }
    const claim = new EpochClaim(receipts).claim("aro1" + "q".repeat(38), 123_456n, 99_999n);
    const bytes = MsgSubmitClaim.encode(claim).finish().length;
    // room left for the tx body, auth info and signature
    assert.ok(bytes + 2_000 < MAX_TX_BYTES, `a claim of ${MAX_CLIENTS_PER_CLAIM} clients is ${bytes} bytes`);
    assert.throws(() => validateGpowParams({ ...defaultGpowParams, maxClientsPerClaim: MAX_CLIENTS_PER_CLAIM + 1 }), /at most 800/);
    validateGpowParams(defaultGpowParams);
  });
});
