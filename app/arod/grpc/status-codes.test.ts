import assert from "node:assert/strict";
import { status } from "@grpc/grpc-js";
import { sdkErrors } from "../../../chain/errors.ts";
import { bankErrors } from "../../../modules/bank/errors.ts";
import { govErrors } from "../../../modules/gov/errors.ts";
import { gpowErrors } from "../../../modules/gpow/errors.ts";
import { peernodeErrors } from "../../../modules/peernode/errors.ts";
import { grpcStatusOf } from "./status-codes.ts";

const of = (e: { codespace: string; code: number }) => grpcStatusOf(e.codespace, e.code);

describe("gRPC status of an app error (as an SDK node answers the same failure)", () => {
  it("the SDK's root errors a query can cause", () => {
    assert.equal(of(sdkErrors.invalidRequest), status.INVALID_ARGUMENT);
    assert.equal(of(sdkErrors.invalidAddress), status.INVALID_ARGUMENT);
    assert.equal(of(sdkErrors.invalidHeight), status.INVALID_ARGUMENT);
    assert.equal(of(sdkErrors.keyNotFound), status.NOT_FOUND);
    assert.equal(of(sdkErrors.notFound), status.NOT_FOUND);
    assert.equal(of(sdkErrors.unknownRequest), status.UNIMPLEMENTED);
    assert.equal(of(sdkErrors.notSupported), status.UNIMPLEMENTED);
    assert.equal(of(sdkErrors.unauthorized), status.UNAUTHENTICATED);
    assert.equal(of(sdkErrors.internal), status.INTERNAL);
    assert.equal(of(sdkErrors.insufficientFunds), status.UNKNOWN);
  });

  it("module errors by what they are: a missing record is NOT_FOUND, a malformed one INVALID_ARGUMENT, the rest UNKNOWN", () => {
    assert.equal(of(bankErrors.denomMetadataNotFound), status.NOT_FOUND);
    assert.equal(of(govErrors.unknownProposal), status.NOT_FOUND);
    assert.equal(of(gpowErrors.jobNotFound), status.NOT_FOUND);
    assert.equal(of(peernodeErrors.nodeNotFound), status.NOT_FOUND);
    assert.equal(of(gpowErrors.invalidClaim), status.INVALID_ARGUMENT);
    assert.equal(of(gpowErrors.outsideWindow), status.UNKNOWN);
    assert.equal(grpcStatusOf("nosuchmodule", 99), status.UNKNOWN);
  });
});
