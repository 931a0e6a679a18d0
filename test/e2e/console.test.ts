import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { chromium, type Browser, type Page } from "playwright-core";
import { repoRoot } from "../../app/testnet/local-node.ts";
import { eventually } from "../support/eventually.ts";
import { getJson } from "../support/rest-shape.ts";
import { injectKeplr } from "../support/keplr-in-page.ts";
import { NODE_REGION, PROPOSAL_TITLE, STAKE, startConsoleChain, type ConsoleChain } from "../support/console-chain.ts";

const CHROMIUM = "/usr/bin/chromium";

/**
 * The web console (`arod start`'s [console] address) in real headless Chromium against a real
 * chain: its pages show the chain's data, and a vote and a rewards withdrawal signed by a
 * Keplr-like wallet in the page (keys in a real DirectSecp256k1HdWallet) land on chain.
 */
describe("e2e: the web console shows the chain and signs through a Keplr-like wallet", function () {
  let chain: ConsoleChain;
  let url: string;
  let browser: Browser;
  let shots: string;

  before(async function () {
    execFileSync("bash", [path.join(repoRoot, "scripts", "install-chromium")], { stdio: ["ignore", "ignore", "inherit"] });
    execFileSync("bash", [path.join(repoRoot, "scripts", "build-console")], { stdio: ["ignore", "ignore", "inherit"] });
    shots = fs.mkdtempSync(path.join(os.tmpdir(), "aro-console-screenshots-"));
    console.log(`      screenshots: ${shots}`);
    chain = await startConsoleChain();
    url = chain.node.console;
    browser = await chromium.launch({ executablePath: CHROMIUM });
  });
  after(async () => {
    await browser?.close();
    await chain?.node.cleanup();
  });

  /** A page with the wallet in it; page errors fail the test. */
  async function open(hash: string): Promise<{ page: Page; errors: string[]; assets: string[]; signed: Awaited<ReturnType<typeof injectKeplr>> }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    const assets: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("request", (r) => assets.push(new URL(r.url()).pathname));
    const signed = await injectKeplr(page, chain.alice.wallet);
    await page.goto(`${url}/#/${hash}`);
    return { page, errors, assets, signed };
  }
  const shoot = async (page: Page, name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

  it("serves the built page, gzipped and cached, and the REST routes and their errors on the same origin", async () => {
    const index = await fetch(url, { headers: { "accept-encoding": "gzip" } });
    assert.equal(index.status, 200);
    assert.match(index.headers.get("content-type") ?? "", /text\/html/);
    assert.match(index.headers.get("content-security-policy") ?? "", /default-src 'self'/);
    const html = await index.text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    assert.ok(script, html);
    const asset = await rawGet(url + script, { "accept-encoding": "gzip" });
    assert.equal(asset.status, 200);
    assert.equal(asset.headers["content-encoding"], "gzip");
    assert.match(String(asset.headers["cache-control"]), /immutable/);
    assert.match(zlib.gunzipSync(asset.body).toString("utf8"), /Aro console/);
    const info = await getJson(url, "/cosmos/base/tendermint/v1beta1/node_info");
    assert.equal(info.json.default_node_info.network, chain.node.chainId);
    const missing = await getJson(url, "/aro/peernode/v1/nodes/999");
    assert.equal(missing.status, 404);
    assert.equal(missing.json.code, 5);
    assert.equal((await getJson(url, "/console-config.json")).json.min_gas_price, "0.025uaro");
    assert.equal((await fetch(`${url}/no/such/file`)).status, 404);
    assert.equal((await fetch(`${url}/../../etc/passwd`)).status, 404);
  });

  it("Chain: the validator's moniker and power, and a height that keeps rising", async () => {
    const { page, errors } = await open("chain");
    const validators = page.getByTestId("validators");
    await validators.getByText("test", { exact: true }).waitFor();
    assert.match(await validators.innerText(), /bonded/);
    assert.match(await page.getByTestId("chain-id").innerText(), new RegExp(chain.node.chainId));
    const height = async () => Number((await page.getByTestId("height").innerText()).replace(/,/g, ""));
    const first = await height();
    assert.ok(first > 0);
    await eventually(async () => assert.ok((await height()) > first, "the page shows new blocks"), 30_000, 300);
    await shoot(page, "chain");
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("PeerNodes: the registered node by region and service, filters, and its page with each epoch's reward explained", async () => {
    const { page, errors } = await open("nodes");
    const table = page.getByTestId("nodes");
    const row = table.locator("tbody tr", { hasText: `#${chain.nodeId}` });
    await row.waitFor();
    assert.match(await row.innerText(), new RegExp(`${NODE_REGION}[\\s\\S]*CDN, HVM[\\s\\S]*active[\\s\\S]*5 ARO[\\s\\S]*10%`));
    await page.getByTestId("filter-region").selectOption("asia");
    await page.getByText("No PeerNode matches.").waitFor();
    await page.getByTestId("filter-region").selectOption(NODE_REGION);
    await page.getByTestId("filter-service").selectOption("SERVICE_HVM");
    await row.waitFor();
    await shoot(page, "nodes");

    // settlement pays the node every epoch (no watcher probes it: counted as up)
    const settled = await eventually(async () => {
      const epoch = Number((await getJson(url, "/aro/gpow/v1/epoch_info")).json.epoch);
      for (let e = epoch - 1; e > 0; e--) {
        const x = await getJson(url, `/aro/settlement/v1/explain/${chain.nodeId}/${e}`);
        if (x.status === 200 && x.json.settlement.phase === "EPOCH_PHASE_SETTLED" && BigInt(x.json.record.reward) > 0n) return x.json;
      }
      throw new Error("no settled epoch with a reward yet");
    }, 60_000, 500);
    await row.locator("a").first().click();
    assert.equal(await page.getByTestId("node-region").innerText(), NODE_REGION);
    const epochs = page.getByTestId("node-epochs");
    const epochRow = epochs.locator("tbody tr", { has: page.locator("td:first-child", { hasText: new RegExp(`^${settled.record.epoch}$`) }) });
    await epochRow.first().waitFor({ timeout: 30_000 });
    assert.match(await epochRow.first().innerText(), /settled[\s\S]*100\.0%/);
    const details = epochs.locator("details").first();
    await details.locator("summary").click();
    assert.match(await details.getByTestId("formula").innerText(), /\S/, "the formula with the node's numbers");
    await shoot(page, "node");
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("Earnings: the owner's pending commission and rewards by epoch; watchers, content and jobs pages; a clear error for a missing node", async () => {
    const { page, errors } = await open(`earnings/${chain.alice.address}`);
    await page.getByTestId("earnings-history").locator("tbody tr").first().waitFor({ timeout: 30_000 });
    assert.match(await page.getByTestId("pending-commission").innerText(), /\d ARO/);
    assert.match(await page.getByTestId("earnings-history").innerText(), new RegExp(`#${chain.nodeId}`));
    assert.match(await page.getByTestId("staking-rewards").innerText(), new RegExp(chain.valoper));
    await shoot(page, "earnings");
    const minStake = BigInt((await getJson(url, "/aro/watcher/v1/params")).json.params.min_stake) / 1_000_000n;
    for (const [hash, text] of [["watchers", `${minStake} ARO`], ["watchers", "No watcher is registered."], ["contents", "No content."], ["jobs", "No jobs."]]) {
      await page.goto(`${url}/#/${hash}`);
      await page.getByText(text).first().waitFor();
      await shoot(page, hash);
    }
    await page.goto(`${url}/#/nodes/999`);
    const alert = page.getByRole("alert").first();
    await alert.waitFor();
    assert.match(await alert.innerText(), /code 5.*node 999/s);
    await page.goto(`${url}/#/nodes/abc`);
    assert.match(await page.getByRole("alert").first().innerText(), /not a node id/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("Governance: the proposal and its tally; a vote signed by the page's wallet shows in the tally read from REST", async () => {
    const { page, errors, assets, signed } = await open("gov");
    const link = page.getByTestId("proposals").getByRole("link", { name: PROPOSAL_TITLE });
    await link.waitFor();
    await link.click();
    assert.equal(await page.getByTestId("proposal-title").innerText(), PROPOSAL_TITLE);
    await page.getByText("Connect a wallet to vote.").waitFor();
    assert.ok(!assets.some((a) => /\/assets\/sign-/.test(a)), "the signing code is not loaded before the user signs");
    await page.getByRole("button", { name: "Connect wallet" }).click();
    assert.match(await page.getByTestId("wallet").innerText(), /test wallet/);
    await page.getByLabel("No", { exact: true }).check();
    await page.getByRole("button", { name: "Cast vote" }).click();
    const result = page.getByTestId("tx-result");
    await result.waitFor({ timeout: 60_000 });
    assert.match(await result.innerText(), /Done: included in block \d+/);
    assert.ok(assets.some((a) => /\/assets\/sign-/.test(a)), "the signing chunk came when the user signed");
    assert.deepEqual(signed.map((s) => [s.chainId, s.signer]), [[chain.node.chainId, chain.alice.address]], "the wallet signed one SignDoc for this chain");
    const tally = (await getJson(url, `/cosmos/gov/v1/proposals/${chain.proposalId}/tally`)).json.tally;
    assert.equal(tally.no_count, STAKE.toString(), "alice's stake counts as No");
    assert.equal((await getJson(url, `/cosmos/gov/v1/proposals/${chain.proposalId}/votes/${chain.alice.address}`)).json.vote.options[0].option, "VOTE_OPTION_NO");
    await page.getByTestId("my-vote").getByText("no").waitFor();
    await page.getByTestId("votes").getByText(chain.alice.address).waitFor();
    await eventually(async () => assert.match(await page.getByTestId("tally-no_count").innerText(), /No: 1,000 ARO \(100%\)/), 15_000, 300);
    await shoot(page, "proposal-voted");
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("Earnings: withdrawing staking rewards through the page's wallet pays them out", async () => {
    const { page, errors } = await open(`earnings/${chain.alice.address}`);
    await page.getByRole("button", { name: "Connect wallet" }).click();
    await page.getByTestId("wallet").waitFor();
    const balance = async () => BigInt((await getJson(url, `/cosmos/bank/v1beta1/balances/${chain.alice.address}/by_denom?denom=uaro`)).json.balance.amount);
    const before = await balance();
    await page.getByRole("button", { name: "Withdraw staking rewards" }).click();
    const result = page.getByTestId("tx-result");
    await result.waitFor({ timeout: 60_000 });
    assert.match(await result.innerText(), /Done: included in block \d+/);
    const hash = /tx ([0-9A-F]{64})/.exec(await result.innerText())![1];
    const tx = (await getJson(url, `/cosmos/tx/v1beta1/txs/${hash}`)).json;
    assert.equal(tx.tx.body.messages[0]["@type"], "/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward");
    assert.equal(tx.tx.body.messages[0].delegator_address, chain.alice.address);
    const attr = (e: any, k: string) => e.attributes.find((a: any) => a.key === k)?.value;
    const withdrawn = tx.tx_response.events.find((e: any) => e.type === "withdraw_rewards" && attr(e, "delegator") === chain.alice.address);
    assert.ok(withdrawn, JSON.stringify(tx.tx_response.events));
    const paid = BigInt(/^(\d+)uaro$/.exec(attr(withdrawn, "amount"))![1]);
    assert.ok(paid > 0n, "rewards were paid out");
    const fee = BigInt(tx.tx.auth_info.fee.amount[0].amount);
    assert.equal(await balance(), before - fee + paid, "the balance moved by the rewards less the fee");
    await shoot(page, "earnings-withdrawn");
    assert.deepEqual(errors, []);
    await page.close();
  });
});

/** A GET that keeps the body as sent (fetch would gunzip it). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c)).on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on("error", reject);
  });
}
