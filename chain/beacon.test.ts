import assert from "node:assert/strict";
import { createHash, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import {
  beaconTx, checkBeacon, decodeBeaconTx, genesisBeacon, isBeaconTx, nextBeacon, voteExtensionSignBytes,
} from "./beacon.ts";
import { sha256 } from "./seed.ts";
import { committeeFor } from "../modules/watcher/committee.ts";
import { InProcessChain } from "../scripts/lib/in-process-chain.ts";
import { FastAccount } from "../scripts/lib/fast-signer.ts";

const CHAIN = "aro-beacon-test";

interface Val { key: KeyObject; pub: Uint8Array; address: Uint8Array; hex: string; power: bigint }

function validator(power: bigint): Val {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const pub = new Uint8Array(publicKey.export({ format: "der", type: "spki" }).subarray(-32));
  const address = new Uint8Array(createHash("sha256").update(pub).digest().subarray(0, 20));
  return { key: privateKey, pub, address, hex: Buffer.from(address).toString("hex").toUpperCase(), power };
}

/** What CometBFT hands the proposer of `height`: every validator's precommit for height-1 with its extension signature. */
function extendedCommit(vals: Val[], height: bigint, round = 0, absent: Set<string> = new Set()) {
  const bytes = voteExtensionSignBytes(CHAIN, height - 1n, round);
  return {
    round,
    votes: vals.map((v) => absent.has(v.hex)
      ? { validator: { address: v.address, power: v.power }, voteExtension: new Uint8Array(), extensionSignature: new Uint8Array(), blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_ABSENT }
      : { validator: { address: v.address, power: v.power }, voteExtension: new Uint8Array(), extensionSignature: new Uint8Array(sign(null, bytes, v.key)), blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_COMMIT }),
  };
}

const commitInfo = (ext: ReturnType<typeof extendedCommit>) => ({ round: ext.round, votes: ext.votes.map((v) => ({ validator: v.validator, blockIdFlag: v.blockIdFlag })) });

function* permutations<T>(items: T[]): Generator<T[]> {
  if (items.length <= 1) { yield items; return; }
  for (let i = 0; i < items.length; i++) for (const rest of permutations([...items.slice(0, i), ...items.slice(i + 1)])) yield [items[i], ...rest];
}

describe("randomness beacon (vote-extension signatures)", () => {
  const vals = [validator(10n), validator(10n), validator(10n), validator(10n)];
  const keyOf = (hex: string) => vals.find((v) => v.hex === hex)?.pub;
  const H = 100n;

  it("encodes CometBFT's CanonicalVoteExtension sign bytes (round 0 and the empty extension are omitted, as gogoproto does)", () => {
    assert.equal(Buffer.from(voteExtensionSignBytes("c", 1n, 0)).toString("hex"), "0c" + "110100000000000000" + "220163");
    assert.equal(Buffer.from(voteExtensionSignBytes("c", 2n, 1, new Uint8Array([7]))).toString("hex"), "18" + "0a0107" + "110200000000000000" + "190100000000000000" + "220163");
  });

  it("accepts exactly the signatures of the last commit's precommits, and nothing else", () => {
    const ext = extendedCommit(vals, H);
    const tx = beaconTx(ext);
    assert.equal(isBeaconTx(tx), true);
    const input = decodeBeaconTx(tx)!;
    assert.equal((input.votes).length, 4);
    assert.equal(checkBeacon(input, commitInfo(ext), CHAIN, H, keyOf), undefined);

    // a precommit left out, one signature forged, a stale round, a foreign height, a power lie
    const dropped = { ...input, votes: input.votes.slice(1) };
    assert.match(checkBeacon(dropped, commitInfo(ext), CHAIN, H, keyOf) ?? "", /3 signatures, the last commit 4 precommits/);
    const forged = { ...input, votes: input.votes.map((v, i) => (i === 2 ? { ...v, signature: new Uint8Array(64).fill(1) } : v)) };
    assert.match(checkBeacon(forged, commitInfo(ext), CHAIN, H, keyOf) ?? "", /bad vote extension signature/);
    assert.match(checkBeacon({ ...input, round: 1 }, commitInfo(ext), CHAIN, H, keyOf) ?? "", /round 1/);
    assert.match(checkBeacon(input, commitInfo(ext), CHAIN, H + 1n, keyOf) ?? "", /bad vote extension signature/);
    const heavier = { ...input, votes: input.votes.map((v, i) => (i === 0 ? { ...v, power: 11n } : v)) };
    assert.match(checkBeacon(heavier, commitInfo(ext), CHAIN, H, keyOf) ?? "", /has power 10, not 11/);
    // a validator that was absent from the last commit cannot be added
    const absent = extendedCommit(vals, H, 0, new Set([vals[3].hex]));
    assert.match(checkBeacon(input, commitInfo(absent), CHAIN, H, keyOf) ?? "", /did not precommit|4 signatures, the last commit 3/);
  });

  it("refuses beacon txs that are not canonical: out of order, duplicated, or with an extension", () => {
    const tx = beaconTx(extendedCommit(vals, H));
    assert.equal(decodeBeaconTx(new Uint8Array([...tx, 0x08, 0x01])), undefined); // field 1 twice: not canonical
    const input = decodeBeaconTx(tx)!;
    const reversed = beaconTx({ round: 0, votes: [] });
    assert.equal((decodeBeaconTx(reversed)!.votes).length, 0);
    // hand-built: two votes in descending address order
    const ext = extendedCommit(vals, H);
    const sorted = [...ext.votes].sort((a, b) => Buffer.compare(Buffer.from(b.validator.address), Buffer.from(a.validator.address)));
    const bad = beaconTx({ round: 0, votes: sorted }); // beaconTx sorts: still valid
    assert.deepEqual(decodeBeaconTx(bad)!.votes.map((v) => v.address), input.votes.map((v) => v.address));
    const withExt = beaconTx({ round: 0, votes: ext.votes.map((v) => ({ ...v, voteExtension: new Uint8Array([1]) })) });
    assert.equal((decodeBeaconTx(withExt)!.votes).length, 4); // beaconTx drops extensions it is given
    assert.equal(decodeBeaconTx(new TextEncoder().encode("not a beacon")), undefined);
  });

  it("a proposer that tries every ordering of its block's txs, any block time and any block hash cannot move a committee draw", () => {
    const txs = ["a", "b", "c", "d", "e"].map((s) => new TextEncoder().encode(`user tx ${s}`));
    const watchers = Array.from({ length: 12 }, (_, i) => ({ address: `aro1watcher${i}`, region: "eu", stake: String(100 + i) }));
    const previous = sha256("some earlier beacon");
    const beacons = new Set<string>();
    const committees = new Set<string>();
    const oldStyle = new Set<string>();
    for (const order of permutations(txs)) {
      // what the proposer controls: order, block time, and so the block hash; the beacon tx comes from the last commit
      const block = [beaconTx(extendedCommit(vals, H)), ...order];
      const seed = nextBeacon(previous, H, decodeBeaconTx(block[0]));
      beacons.add(Buffer.from(seed).toString("hex"));
      const snapshot = { epoch: 7n, watchers, seed: sha256(seed, "watchers", "7") };
      committees.add(committeeFor(snapshot, 42n, "eu", 3).join(","));
      const blockHash = createHash("sha256").update(Buffer.concat(order)).digest(); // what seeds were drawn from before
      oldStyle.add(committeeFor({ ...snapshot, seed: sha256(blockHash, "watchers", "7") }, 42n, "eu", 3).join(","));
    }
    assert.equal(beacons.size, 1);
    assert.equal(committees.size, 1);
    assert.ok((oldStyle.size) > 1, "the block-hash seed let the proposer choose among committees");
  });

  it("leaves the proposer only the choice CometBFT gives it (which >2/3 of precommits to include), and each choice is checked", () => {
    const full = nextBeacon(genesisBeacon(CHAIN), H, decodeBeaconTx(beaconTx(extendedCommit(vals, H))));
    const without = extendedCommit(vals, H, 0, new Set([vals[0].hex]));
    const partial = nextBeacon(genesisBeacon(CHAIN), H, decodeBeaconTx(beaconTx(without)));
    assert.equal(Buffer.from(partial).equals(Buffer.from(full)), false);
    // but the beacon must match the block's own last commit, which every validator sees
    assert.match(checkBeacon(decodeBeaconTx(beaconTx(without))!, commitInfo(extendedCommit(vals, H)), CHAIN, H, keyOf) ?? "", /3 signatures, the last commit 4/);
  });

  it("runs in the real app: proposals carry the beacon, forged ones are rejected, every block gets a new seed", async function () {
    this.timeout(60_000);
    const chain = await InProcessChain.create({ funded: [{ address: new FastAccount("beacon-user").address, coins: "1000uaro" }], voteExtensions: true });
    try {
      const seen = new Set<string>();
      for (let i = 0; i < 4; i++) {
        await chain.block([]);
        seen.add(Buffer.from(chain.app.beacon()!).toString("hex"));
      }
      assert.equal(seen.size, 4);
      // a proposal whose beacon signature is not the validator's
      const h = chain.height + 1n;
      const fake = beaconTx({ round: 0, votes: [{ validator: { address: chain.validatorAddress, power: 100000n }, voteExtension: new Uint8Array(), extensionSignature: new Uint8Array(64).fill(9), blockIdFlag: 2 }] });
      const base = { height: h, time: { seconds: 1n, nanos: 0 }, misbehavior: [], nextValidatorsHash: new Uint8Array(), proposerAddress: chain.validatorAddress, hash: new Uint8Array(32) };
      const lastCommit = { round: 0, votes: [{ validator: { address: chain.validatorAddress, power: 100000n }, blockIdFlag: 2 }] };
      assert.equal(chain.app.processProposal({ ...base, txs: [fake], proposedLastCommit: lastCommit } as never).status, 2);
      assert.equal(chain.app.processProposal({ ...base, txs: [], proposedLastCommit: lastCommit } as never).status, 2, "no beacon tx");
      const checked = chain.app.checkTx({ tx: fake, type: 0 } as never);
      assert.notEqual(checked.code, 0, "CheckTx refuses a beacon tx from the mempool");
      assert.equal(chain.app.verifyVoteExtension({ hash: new Uint8Array(), validatorAddress: chain.validatorAddress, height: h, voteExtension: new Uint8Array([1]) }).status, 2);
      assert.equal(chain.app.verifyVoteExtension({ hash: new Uint8Array(), validatorAddress: chain.validatorAddress, height: h, voteExtension: new Uint8Array() }).status, 1);
    } finally {
      await chain.close();
    }
  });
});
