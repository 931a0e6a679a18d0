import net from "node:net";
import fs from "node:fs";
import { Request, Response } from "cosmjs-types/tendermint/abci/types";
import { FrameDecoder, encodeFrame } from "./framing.ts";
import type { AbciApplication } from "./application.ts";
import type { Logger } from "../logger.ts";

type RequestKind = keyof Request;

/**
 * ABCI 2.0 socket server. CometBFT opens four connections (query, snapshot, mempool,
 * consensus) and expects responses in FIFO order, of the matching type, on each.
 * Like the Go server's global mutex, requests from all connections are handled one
 * at a time through a single queue, so async handlers never interleave.
 */
export class AbciServer {
  private readonly server: net.Server;
  private queue: Promise<void> = Promise.resolve();
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
  drain(): Promise<void> {
    return this.queue;
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
    this.queue = this.queue.then(async () => {
      const response = await this.handle(frame);
      if (!socket.destroyed) socket.write(encodeFrame(Response.encode(response).finish()));
    });
  }

  private async handle(frame: Uint8Array): Promise<Response> {
    let request: Request;
    try {
      request = Request.decode(frame);
    } catch (err) {
      return Response.fromPartial({ exception: { error: `cannot decode ABCI request: ${String(err)}` } });
    }
    const kind = (Object.keys(request) as RequestKind[]).find((k) => request[k] !== undefined);
    try {
      return await this.dispatch(kind, request);
    } catch (err) {
      // An exception stops CometBFT: only reached on a bug, never on bad user input.
      this.log.error("abci: handler failed", { kind, err: err instanceof Error ? err.stack : String(err) });
      return Response.fromPartial({ exception: { error: `${kind}: ${String(err)}` } });
    }
  }

  private async dispatch(kind: RequestKind | undefined, req: Request): Promise<Response> {
    const app = this.app;
    switch (kind) {
      case "echo": return Response.fromPartial({ echo: { message: req.echo!.message } });
      case "flush": return Response.fromPartial({ flush: {} });
      case "info": return Response.fromPartial({ info: await app.info(req.info!) });
      case "initChain": return Response.fromPartial({ initChain: await app.initChain(req.initChain!) });
      case "query": return Response.fromPartial({ query: await app.query(req.query!) });
      case "checkTx": return Response.fromPartial({ checkTx: app.checkTx(req.checkTx!) });
      case "commit": return Response.fromPartial({ commit: await app.commit() });
      case "listSnapshots": return Response.fromPartial({ listSnapshots: app.listSnapshots() });
      case "offerSnapshot": return Response.fromPartial({ offerSnapshot: await app.offerSnapshot(req.offerSnapshot!) });
      case "loadSnapshotChunk": return Response.fromPartial({ loadSnapshotChunk: app.loadSnapshotChunk(req.loadSnapshotChunk!) });
      case "applySnapshotChunk": return Response.fromPartial({ applySnapshotChunk: await app.applySnapshotChunk(req.applySnapshotChunk!) });
      case "prepareProposal": return Response.fromPartial({ prepareProposal: app.prepareProposal(req.prepareProposal!) });
      case "processProposal": return Response.fromPartial({ processProposal: app.processProposal(req.processProposal!) });
      case "extendVote": return Response.fromPartial({ extendVote: app.extendVote(req.extendVote!) });
      case "verifyVoteExtension": return Response.fromPartial({ verifyVoteExtension: app.verifyVoteExtension(req.verifyVoteExtension!) });
      case "finalizeBlock": return Response.fromPartial({ finalizeBlock: await app.finalizeBlock(req.finalizeBlock!) });
      default: return Response.fromPartial({ exception: { error: `unknown ABCI request ${String(kind)}` } });
    }
  }
}
