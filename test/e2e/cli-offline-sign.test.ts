import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { arodBin, LocalNode, newAccount, type Funded } from "../../app/testnet/local-node.ts";

const PASSPHRASE = { AROD_KEY_PASSPHRASE: "export passphrase 1" };

function arod(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [arodBin, ...args], { encoding: "utf8", env: { ...process.env, ...env }, timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
function ok(args: string[], env: Record<string, string> = {}): string {
  const r = arod(args, env);
  assert.equal(r.code, 0, `arod ${args.join(" ")} failed:\n${r.err}\n${r.out}`);
  return r.out;
}
function fails(args: string[], message: RegExp, env: Record<string, string> = {}): void {
  const r = arod(args, env);
  assert.equal(r.code, 1, `arod ${args.join(" ")} should fail:\n${r.out}`);
  assert.match(r.err, message);
}

/** Polls `arod query tx` until the tx is in a block (bounded). */
async function committed(hash: string, rpc: string): Promise<any> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const r = arod(["query", "tx", hash, "--node", rpc]);
    if (r.code === 0) return JSON.parse(r.out);
    if (Date.now() > deadline) throw new Error(`tx ${hash} not committed in 60 s: ${r.err}`);
    await new Promise((res) => setTimeout(res, 200));
  }
}

describe("e2e: offline signing, blocks, tx search and key export with the arod CLI", function () {
  let node: LocalNode;
  let alice: Funded;
  let home: string;
  const keyring = () => ["--home", home, "--keyring-backend", "test"];

  before(async () => {
    alice = await newAccount();
    node = await LocalNode.create({ funded: [{ address: alice.address, coins: "10000000000uaro" }] });
    home = fs.mkdtempSync(path.join(os.tmpdir(), "arod-offline-"));
    fs.writeFileSync(path.join(home, "alice.mnemonic"), alice.mnemonic);
    ok(["keys", "add", "alice", "--mnemonic-file", path.join(home, "alice.mnemonic"), ...keyring()]);
    await node.start();
  });
  after(async () => {
    await node?.cleanup();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it("generate-only → sign → broadcast lands a send; query block and query txs return it", async () => {
    const bob = await newAccount();
    // 1. generated without a node: numeric gas and fees, the SDK's JSON of an unsigned Tx
    const unsignedText = ok(["tx", "bank", "send", "alice", bob.address, "1234uaro", "--generate-only", "--gas", "200000", "--fees", "5000uaro", "--memo", "offline", ...keyring(), "--node", "http://127.0.0.1:1"]);
    const unsigned = JSON.parse(unsignedText);
    assert.deepEqual(unsigned.body.messages, [{ "@type": "/cosmos.bank.v1beta1.MsgSend", from_address: alice.address, to_address: bob.address, amount: [{ denom: "uaro", amount: "1234" }] }]);
    assert.equal(unsigned.body.memo, "offline");
    assert.deepEqual(unsigned.auth_info.fee, { amount: [{ denom: "uaro", amount: "5000" }], gas_limit: "200000", payer: "", granter: "" });
    assert.deepEqual(unsigned.auth_info.signer_infos, []);
    assert.deepEqual(unsigned.signatures, []);
    const unsignedFile = path.join(home, "unsigned.json");
    fs.writeFileSync(unsignedFile, unsignedText);

    // 2. signed offline, the account number read beforehand
    const account = JSON.parse(ok(["query", "account", alice.address, "--node", node.rpc]));
    const offline = ["--offline", "--account-number", String(account.accountNumber), "--sequence", String(account.sequence)];
    const signedFile = path.join(home, "signed.json");
    ok(["tx", "sign", unsignedFile, "--from", "alice", ...offline, "--chain-id", node.chainId, "--output-document", signedFile, ...keyring()]);
    const signed = JSON.parse(fs.readFileSync(signedFile, "utf8"));
    assert.equal(signed.signatures.length, 1);
    assert.equal(signed.auth_info.signer_infos[0].mode_info.single.mode, "SIGN_MODE_DIRECT");
    assert.deepEqual(signed.body, unsigned.body);

    // a signature for another chain id is refused by the node
    const wrongFile = path.join(home, "wrong-chain.json");
    ok(["tx", "sign", unsignedFile, "--from", "alice", ...offline, "--chain-id", "other-chain", "--output-document", wrongFile, ...keyring()]);
    const wrong = arod(["tx", "broadcast", wrongFile, "--node", node.rpc]);
    assert.equal(wrong.code, 1);
    assert.equal(JSON.parse(wrong.out).code, 4, "sdk/4 unauthorized: signature verification failed");

    // 3. broadcast, then committed
    const sent = JSON.parse(ok(["tx", "broadcast", signedFile, "--node", node.rpc]));
    assert.equal(sent.code, 0, sent.raw_log);
    const tx = await committed(sent.txhash, node.rpc);
    assert.equal(tx.code, 0);
    assert.deepEqual(JSON.parse(ok(["query", "bank", "balances", bob.address, "--node", node.rpc])).balances, [{ denom: "uaro", amount: "1234" }]);
    fails(["tx", "broadcast", signedFile, "--node", node.rpc], /.*/); // the same tx again: already in the cache or a used sequence

    // query block: tendermint.types.Block of that height, holding the tx
    const block = JSON.parse(ok(["query", "block", String(tx.height), "--node", node.rpc]));
    assert.equal(block.header.height, String(tx.height));
    assert.equal(block.header.chain_id, node.chainId);
    assert.ok(block.data.txs.includes(tx.tx), "the block holds the tx");
    assert.ok(Number(JSON.parse(ok(["query", "block", "--node", node.rpc])).header.height) >= tx.height, "no height: the latest block");

    // query txs: the SDK's SearchTxsResult, each tx a TxResponse with its Tx under "@type"
    const found = JSON.parse(ok(["query", "txs", "--query", `message.sender='${alice.address}'`, "--node", node.rpc]));
    assert.equal(found.total_count, "1");
    assert.equal(found.page_number, "1");
    assert.equal(found.txs[0].txhash, sent.txhash);
    assert.equal(found.txs[0].height, String(tx.height));
    assert.equal(found.txs[0].tx["@type"], "/cosmos.tx.v1beta1.Tx");
    assert.equal(found.txs[0].tx.body.memo, "offline");
    assert.match(found.txs[0].timestamp, /^\d{4}-\d\d-\d\dT/);
    assert.equal(JSON.parse(ok(["query", "txs", "--query", `tx.height=${tx.height}`, "--limit", "5", "--node", node.rpc])).txs[0].txhash, sent.txhash);

    // 4. signed online (account and chain id from the node), --gas auto simulated for the unsigned tx
    const auto = path.join(home, "auto.json");
    fs.writeFileSync(auto, ok(["tx", "bank", "send", "alice", bob.address, "1uaro", "--generate-only", ...keyring(), "--node", node.rpc]));
    assert.ok(Number(JSON.parse(fs.readFileSync(auto, "utf8")).auth_info.fee.gas_limit) > 0);
    fs.writeFileSync(auto, ok(["tx", "sign", auto, "--from", "alice", "--node", node.rpc, ...keyring()]));
    await committed(JSON.parse(ok(["tx", "broadcast", auto, "--node", node.rpc])).txhash, node.rpc);
    assert.deepEqual(JSON.parse(ok(["query", "bank", "balances", bob.address, "--node", node.rpc])).balances, [{ denom: "uaro", amount: "1235" }]);
  });

  it("refuses bad input with a clear error", () => {
    const garbage = path.join(home, "garbage.json");
    fs.writeFileSync(garbage, "{ not json");
    fails(["tx", "sign", garbage, "--from", "alice", "--offline", "--chain-id", "x", "--account-number", "0", "--sequence", "0", ...keyring()], /is not JSON/);
    fs.writeFileSync(garbage, JSON.stringify({ body: { messages: [{ "@type": "/no.such.Msg" }] }, auth_info: {}, signatures: [] }));
    fails(["tx", "sign", garbage, "--from", "alice", "--offline", "--chain-id", "x", "--account-number", "0", "--sequence", "0", ...keyring()], /"body" is not a valid cosmos.tx.v1beta1.TxBody/);
    fails(["tx", "sign", path.join(home, "unsigned.json"), "--from", "alice", "--offline", "--account-number", "0", "--sequence", "0", ...keyring()], /--offline needs --chain-id/);
    fails(["tx", "sign", path.join(home, "unsigned.json"), "--from", "alice", "--offline", "--chain-id", "x", "--account-number", "-1", "--sequence", "0", ...keyring()], /must be a whole number/);
    fails(["tx", "sign", path.join(home, "signed.json"), "--from", "alice", "--offline", "--chain-id", "x", "--account-number", "0", "--sequence", "0", ...keyring()], /already signed/);
    fails(["tx", "broadcast", path.join(home, "unsigned.json"), "--node", node.rpc], /has no signatures/);
    fails(["tx", "broadcast", path.join(home, "missing.json"), "--node", node.rpc], /cannot read tx file/);
    fails(["tx", "bank", "send", "aro1nobody", alice.address, "1uaro", "--generate-only", "--gas", "1000", ...keyring()], /invalid address|not found/);
    fails(["tx", "bank", "send", "alice", alice.address, "1uaro", "--generate-only", "--gas", "auto", "--node", "http://127.0.0.1:1", ...keyring()], /cannot reach a node/);
    fails(["query", "block", "abc", "--node", node.rpc], /height must be a whole number/);
    fails(["query", "block", "99999999", "--node", node.rpc], /must be less than or equal|height/);
    fails(["query", "block", "xyz", "--type", "hash", "--node", node.rpc], /64 hex digits/);
    fails(["query", "txs", "--query", "tx.height=1", "--limit", "0", "--node", node.rpc], /--limit must be from 1 to 100/);
    fails(["query", "txs", "--query", "tx.height=1", "--order_by", "up", "--node", node.rpc], /--order_by must be asc or desc/);
    fails(["query", "txs", "--query", "no such query ===", "--node", node.rpc], /.+/);
    fails(["query", "bank", "balances", alice.address, "--node", "ftp://x"], /--node must be http/);
  });

  it("keys export → import: the same address in both keyring backends, and the imported key signs", async () => {
    const armored = ok(["keys", "export", "alice", ...keyring()], PASSPHRASE);
    assert.match(armored, /^-----BEGIN TENDERMINT PRIVATE KEY-----\nkdf: scrypt\nkdfparams: n=32768,r=8,p=1,dklen=32\nsalt: [0-9A-F]{32}\ntype: secp256k1\n\n/);
    assert.ok(!armored.includes(alice.mnemonic.split(" ")[0] + " "), "no mnemonic in the export");
    const file = path.join(home, "alice.armor");
    fs.writeFileSync(file, armored);
    assert.equal(JSON.parse(ok(["keys", "import", "alice-copy", file, ...keyring()], PASSPHRASE)).address, alice.address);
    const filePw = { ...PASSPHRASE, AROD_KEYRING_PASSWORD: "keyring password 1" };
    assert.equal(JSON.parse(ok(["keys", "import", "alice-file", file, "--home", home], filePw)).address, alice.address);
    assert.ok(!fs.readFileSync(path.join(home, "keyring-file", "alice-file.json"), "utf8").includes('"privkey"'), "the file keyring keeps the key encrypted");
    // exported again from the imported copy: the same key
    fs.writeFileSync(path.join(home, "again.armor"), ok(["keys", "export", "alice-file", "--home", home], filePw));
    assert.equal(JSON.parse(ok(["keys", "import", "alice-again", path.join(home, "again.armor"), ...keyring()], PASSPHRASE)).address, alice.address);

    fails(["keys", "import", "alice-bad", file, ...keyring()], /wrong passphrase/, { AROD_KEY_PASSPHRASE: "not the passphrase" });
    fails(["keys", "import", "alice-copy", file, ...keyring()], /already exists/, PASSPHRASE);
    fs.writeFileSync(path.join(home, "cut.armor"), armored.replace(/\n[A-Za-z0-9+/]{10}/, "\n"));
    fails(["keys", "import", "alice-cut", path.join(home, "cut.armor"), ...keyring()], /not an armored block|wrong passphrase/, PASSPHRASE);
    fs.writeFileSync(path.join(home, "bcrypt.armor"), armored.replace("kdf: scrypt", "kdf: bcrypt"));
    fails(["keys", "import", "alice-old", path.join(home, "bcrypt.armor"), ...keyring()], /kdf bcrypt/, PASSPHRASE);
    fails(["keys", "export", "alice", ...keyring()], /at least 8 characters/, { AROD_KEY_PASSPHRASE: "short" });
    fails(["keys", "export", "nobody", ...keyring()], /not found/, PASSPHRASE);

    // the imported key (no mnemonic) signs a tx that lands
    const bob = await newAccount();
    const sent = JSON.parse(ok(["tx", "bank", "send", "alice-copy", bob.address, "7uaro", "--node", node.rpc, ...keyring()]));
    assert.equal(sent.code, 0, sent.raw_log);
    assert.deepEqual(JSON.parse(ok(["query", "bank", "balances", bob.address, "--node", node.rpc])).balances, [{ denom: "uaro", amount: "7" }]);
  });

  it("prints --help for the new commands", () => {
    for (const cmd of [["tx", "sign"], ["tx", "broadcast"], ["tx", "bank", "send"], ["query", "block"], ["query", "txs"], ["keys", "export"], ["keys", "import"], ["version"]]) {
      assert.match(ok([...cmd, "--help"]), /Usage: arod/);
    }
    assert.match(ok(["tx", "bank", "send", "--help"]), /--generate-only/);
    assert.match(ok(["version"]), /^\d+\.\d+\.\d+\n$/);
  });
});
