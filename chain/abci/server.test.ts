import assert from "node:assert/strict";
import net from "node:net";
import { Request, Response } from "cosmjs-types/tendermint/abci/types";
import { AbciServer } from "./server.ts";
import { FrameDecoder, encodeFrame } from "./framing.ts";
import type { AbciApplication } from "./application.ts";
import { silentLogger } from "../logger.ts";

/** An app whose CheckTx answers at once (synchronously) and Info after an await, as arod's do. */
const app = {
  checkTx: (req: { tx: Uint8Array }) => ({ code: req.tx[0] }),
  info: async () => ({ data: "fake", lastBlockHeight: 7n }),
} as unknown as AbciApplication;

const frame = (r: Request) => encodeFrame(Request.encode(r).finish());
const checkTx = (code: number) => frame(Request.fromPartial({ checkTx: { tx: Uint8Array.of(code) } }));

describe("abci: the socket server answers every request, in order", () => {
  let server: AbciServer;
  let socket: net.Socket;
  let responses: Response[];
  let port: number;

  beforeEach(async () => {
    server = new AbciServer(app, silentLogger);
    port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, "127.0.0.1", () => {
        const { port: free } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    await server.listen(`tcp://127.0.0.1:${port}`);
    socket = net.connect(port, "127.0.0.1");
    await new Promise((r) => socket.once("connect", r));
    responses = [];
    const decoder = new FrameDecoder();
    socket.on("data", (chunk: Buffer) => responses.push(...decoder.push(chunk).map((f) => Response.decode(f))));
  });
  afterEach(async () => {
    socket.destroy();
    await server.close();
  });

  const answered = async (n: number) => {
    const deadline = Date.now() + 5000;
    while (responses.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    assert.equal(responses.length, n, `${n} responses expected, ${responses.length} came`);
  };

  it("several requests in one chunk, synchronous and not, then one more: all answered, each with its own kind", async () => {
    socket.write(Buffer.concat([checkTx(0), checkTx(5), frame(Request.fromPartial({ info: {} })), checkTx(3), frame(Request.fromPartial({ flush: {} }))]));
    await answered(5);
    assert.deepEqual(responses.map((r) => Object.keys(r).find((k) => r[k as keyof Response] !== undefined)), ["checkTx", "checkTx", "info", "checkTx", "flush"]);
    assert.deepEqual([responses[0].checkTx!.code, responses[1].checkTx!.code, responses[3].checkTx!.code], [0, 5, 3]);
    assert.equal(responses[2].info!.lastBlockHeight, 7n);
    socket.write(frame(Request.fromPartial({ echo: { message: "again" } })));
    await answered(6);
    assert.equal(responses[5].echo!.message, "again");
  });

  it("a request that cannot be decoded gets an exception, not silence", async () => {
    socket.write(encodeFrame(Uint8Array.of(0xff, 0xff, 0xff)));
    await answered(1);
    assert.match(responses[0].exception!.error, /cannot decode ABCI request/);
  });
});
