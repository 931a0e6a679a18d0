import assert from "node:assert/strict";
import { create, toBinary } from "@bufbuild/protobuf";
import { createModules } from "../../../modules/index.ts";
import { apiRegistry } from "../../../proto/api-registry.ts";
import { Gateway } from "./gateway.ts";
import { parsePathTemplate } from "./path-template.ts";
import { requestMessage } from "./request-message.ts";
import { decFromAtomics, SdkJson } from "./sdk-json.ts";
import { GatewayError } from "./errors.ts";

const registry = apiRegistry();
const schema = (name: string) => registry.getMessage(name)!;

describe("REST gateway: routes and JSON from the API descriptors", () => {
  it("every query the app serves has a REST route, and no two routes share a verb and template", () => {
    const paths = createModules({ upgradeHandlers: [] }).flatMap((m) => (m.queries ?? []).map((q) => q.path));
    const gateway = new Gateway(registry, new Set(paths), {}, {} as never);
    const routed = new Set(gateway.routes.map((r) => r.grpcPath));
    assert.deepEqual(paths.filter((p) => !routed.has(p)), [], "queries without a google.api.http rule");
    assert.ok(paths.some((p) => p.startsWith("/aro.")) && paths.some((p) => p.startsWith("/cosmos.")));
    const keys = gateway.routes.map((r) => `${r.verb} ${r.template.template}`);
    assert.equal(new Set(keys).size, keys.length);
  });

  it("path templates: literals, one segment, the rest of the path; literal routes win", async () => {
    const t = parsePathTemplate("/cosmos/bank/v1beta1/denoms_metadata/{denom=**}");
    assert.deepEqual(t.match("/cosmos/bank/v1beta1/denoms_metadata/ibc/ABC"), { denom: "ibc/ABC" });
    assert.equal(t.match("/cosmos/bank/v1beta1/denoms_metadata"), undefined);
    const one = parsePathTemplate("/aro/peernode/v1/nodes/{node_id}");
    assert.deepEqual(one.match("/aro/peernode/v1/nodes/7"), { node_id: "7" });
    assert.equal(one.match("/aro/peernode/v1/nodes/7/guarantees"), undefined);
    assert.equal(one.match("/aro/peernode/v1/nodes/%E0%A4%A"), undefined, "a bad %-escape matches nothing");
    assert.throws(() => parsePathTemplate("/a/{b=**}/c"), /must come last/);
    const paths = new Set(["/cosmos.bank.v1beta1.Query/SupplyOf", "/cosmos.bank.v1beta1.Query/TotalSupply"]);
    const asked: string[] = [];
    const gateway = new Gateway(registry, paths, {}, { abciQuery: async (q: { path: string }) => (asked.push(q.path), { code: 0, value: new Uint8Array(), height: 3n }) } as never);
    await gateway.handle("GET", "/cosmos/bank/v1beta1/supply/by_denom", new URLSearchParams("denom=uaro"), undefined, undefined);
    assert.deepEqual(asked, ["/cosmos.bank.v1beta1.Query/SupplyOf"]);
    assert.equal((await gateway.handle("POST", "/cosmos/bank/v1beta1/supply", new URLSearchParams(), undefined, undefined)).status, 405);
    assert.equal((await gateway.handle("GET", "/nothing/here", new URLSearchParams(), undefined, undefined)).status, 404);
  });

  it("request messages from path and query parameters, by proto or JSON name; bad ones are 400s", () => {
    const s = schema("cosmos.staking.v1beta1.QueryValidatorsRequest");
    const m = requestMessage(registry, s, {}, new URLSearchParams("status=BOND_STATUS_BONDED&pagination.limit=5&pagination.countTotal=true&pagination.key=AQI+"), undefined) as any;
    assert.equal(m.status, "BOND_STATUS_BONDED");
    assert.equal(m.pagination.limit, 5n);
    assert.equal(m.pagination.countTotal, true);
    assert.deepEqual([...m.pagination.key], [1, 2, 62], "a + of base64 in a query string arrives as a space");
    const bad = (q: string) => assert.throws(() => requestMessage(registry, s, {}, new URLSearchParams(q), undefined), (e: unknown) => e instanceof GatewayError && e.httpStatus === 400);
    bad("nope=1");
    bad("pagination.limit=-1");
    bad("pagination.count_total=yes");
    bad("pagination=1");
    bad(Array.from({ length: 65 }, (_, i) => `pagination.limit=${i}`).join("&"));
  });

  it("JSON as the SDK writes it: proto names, unset messages null, Dec atomics as decimals, @type first", () => {
    assert.equal(decFromAtomics("1500000000000000000"), "1.500000000000000000");
    assert.equal(decFromAtomics("-5"), "-0.000000000000000005");
    assert.equal(decFromAtomics("0.5"), "0.5");
    const json = new SdkJson(registry);
    const res = schema("cosmos.distribution.v1beta1.QueryCommunityPoolResponse");
    const out = json.fromBinary(res, toBinary(res, create(res, { pool: [{ denom: "uaro", amount: "2500000000000000000" }] } as never)));
    assert.deepEqual(out, { pool: [{ denom: "uaro", amount: "2.500000000000000000" }] });
    const acct = schema("cosmos.auth.v1beta1.QueryAccountResponse");
    const base = schema("cosmos.auth.v1beta1.BaseAccount");
    const value = toBinary(base, create(base, { address: "aro1x", accountNumber: 4n } as never));
    const a = json.fromBinary(acct, toBinary(acct, create(acct, { account: { typeUrl: "/cosmos.auth.v1beta1.BaseAccount", value } } as never))) as any;
    assert.deepEqual(Object.keys(a.account), ["@type", "address", "pub_key", "account_number", "sequence"]);
    assert.equal(a.account.pub_key, null);
    assert.equal(a.account.account_number, "4");
  });
});
