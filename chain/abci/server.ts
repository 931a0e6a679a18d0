import net from "node:net";
import fs from "node:fs";
import { Request, Response } from "cosmjs-types/tendermint/abci/types";
import { FrameDecoder, encodeFrame } from "./framing.ts";
import type { AbciApplication } from "./application.ts";
import type { Logger } from "../logger.ts";

type RequestKind = keyof Request;

/** Request{flush: {}} as CometBFT encodes it, and the framed Response{flush: {}}. */
const FLUSH_REQUEST = Request.encode(Request.fromPartial({ flush: {} })).finish();
const FLUSH_RESPONSE_FRAME = encodeFrame(Response.encode(Response.fromPartial({ flush: {} })).finish());
const FLUSH = Symbol("flush");

/**
 * ABCI 2.0 socket server. CometBFT opens four connections (query, snapshot, mempool,
 * consensus) and expects responses in FIFO order, of the matching type, on each.
 * Like the Go server's global mutex, requests from all connections are handled one
 * at a time through a single queue, so async handlers never interleave.
 */
export class AbciServer {
  private readonly server: net.Server;
  private readonly pending: Array<{ socket: net.Socket; frame: Uint8Array }> = [];
  private busy = false;
  private running: Promise<void> = Promise.resolve();
  private readonly sockets = new Set<net.Socket>();

  constructor(private readonly app: AbciApplication, private readonly log: Logger) {
    this.server = net.createServer((socket) => this.onConnection(socket));
  }

  /** address: "tcp://127.0.0.1:26658" or "unix:///path/to.sock" */
  listen(address: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      const done = () => {
        this.server.off("error", reject);
        resolve();
      };
      if (address.startsWith("unix://")) {
        const path = address.slice("unix://".length);
        if (fs.existsSync(path)) fs.unlinkSync(path);
        this.server.listen(path, done);
      } else {
        const url = new URL(address.replace(/^tcp:/, "http:"));
        this.server.listen(Number(url.port), url.hostname, done);
      }
    });
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Resolves when every queued request has been answered. */
  async drain(): Promise<void> {
    while (this.busy) await this.running;
  }

  private onConnection(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    const decoder = new FrameDecoder();
    socket.on("data", (chunk: Buffer) => {
      let frames: Uint8Array[];
      try {
        frames = decoder.push(chunk);
      } catch (err) {
        this.log.error("abci: dropping connection with a malformed frame", { err: String(err) });
        socket.destroy();
        return;
      }
      for (const frame of frames) this.enqueue(socket, frame);
    });
    socket.on("error", (err) => this.log.debug("abci: socket error", { err: String(err) }));
    socket.on("close", () => this.sockets.delete(socket));
  }

  private enqueue(socket: net.Socket, frame: Uint8Array): void {
    this.pending.push({ socket, frame });
    if (!this.busy) {
      this.busy = true;
      this.running = this.run();
    }
  }

  /** Answers queued requests in order; synchronous handlers (CheckTx) run without a promise each. */
  private async run(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const { socket, frame } = this.pending.shift()!;
        const answer = this.handle(frame);
        this.reply(socket, answer instanceof Promise ? await answer : answer);
      }
    } finally {
      // in the same step that found the queue empty: the next request starts a new run
      this.busy = false;
    }
  }

  private reply(socket: net.Socket, response: Response | typeof FLUSH): void {
    if (socket.destroyed) return;
    // Responses answered in one run of the queue go out in one write (a CheckTx burst
    // otherwise costs a syscall each); uncorked once the queued work has run.
    if (socket.writableCorked === 0) {
      socket.cork();
      process.nextTick(() => socket.uncork());
    }
    socket.write(response === FLUSH ? FLUSH_RESPONSE_FRAME : encodeFrame(Response.encode(response).finish()));
  }

  private handle(frame: Uint8Array): Response | typeof FLUSH | Promise<Response> {
    // CometBFT sends a Flush behind every batch of requests: answered without decoding
    if (frame.length === 2 && frame[0] === FLUSH_REQUEST[0] && frame[1] === FLUSH_REQUEST[1]) return FLUSH;
    let request: Request;
    try {
      request = Request.decode(frame);
    } catch (err) {
      return Response.fromPartial({ exception: { error: `cannot decode ABCI request: ${String(err)}` } });
    }
    const kind = (Object.keys(request) as RequestKind[]).find((k) => request[k] !== undefined);
    const failed = (err: unknown): Response => {
      // An exception stops CometBFT: only reached on a bug, never on bad user input.
      this.log.error("abci: handler failed", { kind, err: err instanceof Error ? err.stack : String(err) });
      return Response.fromPartial({ exception: { error: `${kind}: ${String(err)}` } });
    };
    try {
      const response = this.dispatch(kind, request);
      return response instanceof Promise ? response.catch(failed) : response;
    } catch (err) {
      return failed(err);
    }
  }

  private dispatch(kind: RequestKind | undefined, req: Request): Response | Promise<Response> {
    const app = this.app;
    switch (kind) {
      case "echo": return Response.fromPartial({ echo: { message: req.echo!.message } });
      case "flush": return Response.fromPartial({ flush: {} });
      case "info": return app.info(req.info!).then((info) => Response.fromPartial({ info }));
      case "initChain": return app.initChain(req.initChain!).then((initChain) => Response.fromPartial({ initChain }));
      case "query": return app.query(req.query!).then((query) => Response.fromPartial({ query }));
      case "checkTx": return Response.fromPartial({ checkTx: app.checkTx(req.checkTx!) });
      case "commit": return app.commit().then((commit) => Response.fromPartial({ commit }));
      case "listSnapshots": return Response.fromPartial({ listSnapshots: app.listSnapshots() });
      case "offerSnapshot": return app.offerSnapshot(req.offerSnapshot!).then((offerSnapshot) => Response.fromPartial({ offerSnapshot }));
      case "loadSnapshotChunk": return Response.fromPartial({ loadSnapshotChunk: app.loadSnapshotChunk(req.loadSnapshotChunk!) });
      case "applySnapshotChunk": return app.applySnapshotChunk(req.applySnapshotChunk!).then((applySnapshotChunk) => Response.fromPartial({ applySnapshotChunk }));
      case "prepareProposal": return Response.fromPartial({ prepareProposal: app.prepareProposal(req.prepareProposal!) });
      case "processProposal": return Response.fromPartial({ processProposal: app.processProposal(req.processProposal!) });
      case "extendVote": return Response.fromPartial({ extendVote: app.extendVote(req.extendVote!) });
      case "verifyVoteExtension": return Response.fromPartial({ verifyVoteExtension: app.verifyVoteExtension(req.verifyVoteExtension!) });
      case "finalizeBlock": return app.finalizeBlock(req.finalizeBlock!).then((finalizeBlock) => Response.fromPartial({ finalizeBlock }));
      default: return Response.fromPartial({ exception: { error: `unknown ABCI request ${String(kind)}` } });
    }
  }
}
