import { fromBinary, fromJson, getOption, hasOption, toBinary, type DescExtension, type DescMethod, type FileRegistry, type JsonObject, type Message } from "@bufbuild/protobuf";
import { fromAppError, GatewayError } from "./errors.ts";
import type { LocalMethods, MethodContext } from "./local-methods.ts";
import { parsePathTemplate, type PathTemplate } from "./path-template.ts";
import { requestMessage } from "./request-message.ts";
import { SdkJson } from "./sdk-json.ts";

export interface Route {
  readonly verb: string;
  readonly template: PathTemplate;
  readonly method: DescMethod;
  /** "/cosmos.bank.v1beta1.Query/Balance": the abci_query path and gRPC method. */
  readonly grpcPath: string;
  /** "*" when the request message is the JSON body (POST routes). */
  readonly body: string;
}

export interface GatewayAnswer {
  readonly status: number;
  readonly json: unknown;
  /** The height a query was answered at (the SDK's x-cosmos-block-height). */
  readonly height?: bigint;
}

/**
 * The REST gateway's routing and translation, with no HTTP in it: every google.api.http rule
 * in the API descriptors whose method arod serves (the app's query router or a local method)
 * becomes a route; a request becomes the method's request message, the answer proto3 JSON.
 */
export class Gateway {
  readonly routes: Route[];
  readonly json: SdkJson;

  constructor(readonly registry: FileRegistry, appPaths: ReadonlySet<string>, private readonly local: LocalMethods, private readonly ctx: Omit<MethodContext, "height">) {
    this.json = new SdkJson(registry);
    const httpExt = registry.getExtension("google.api.http");
    if (!httpExt) throw new Error("the API descriptors have no google.api.http extension");
    this.routes = collectRoutes(registry, httpExt).filter((r) => appPaths.has(r.grpcPath) || r.grpcPath in local);
    // Literal segments win over parameters (…/supply/by_denom before …/supply/{denom}).
    this.routes.sort((a, b) => b.template.literals - a.template.literals);
  }

  async handle(verb: string, pathname: string, query: URLSearchParams, body: JsonObject | undefined, height: bigint | undefined): Promise<GatewayAnswer> {
    let verbMismatch = false;
    for (const route of this.routes) {
      const params = route.template.match(pathname);
      if (!params) continue;
      if (route.verb !== verb) {
        verbMismatch = true;
        continue;
      }
      return this.call(route, params, query, route.body === "*" ? (body ?? {}) : undefined, height);
    }
    if (verbMismatch) return { status: 405, json: { code: 12, message: `method ${verb} not allowed on ${pathname}`, details: [] } };
    return { status: 404, json: { code: 5, message: `no route ${pathname}`, details: [] } };
  }

  private async call(route: Route, params: Record<string, string>, query: URLSearchParams, body: JsonObject | undefined, height: bigint | undefined): Promise<GatewayAnswer> {
    const req = requestMessage(this.registry, route.method.input, params, query, body);
    const local = this.local[route.grpcPath];
    if (local) {
      const out = await local(req, { ...this.ctx, height });
      const json = out instanceof Uint8Array ? this.json.fromBinary(route.method.output, out) : this.normalize(route, out);
      return { status: 200, json };
    }
    const r = await this.ctx.abciQuery({ path: route.grpcPath, data: toBinary(route.method.input, req), height: height ?? 0n, prove: false });
    if (r.code) throw fromAppError({ codespace: r.codespace ?? "", code: r.code, message: r.log ?? "" });
    return { status: 200, json: this.json.fromBinary(route.method.output, r.value ?? new Uint8Array()), height: r.height };
  }

  /** gRPC paths the gateway answers itself (over CometBFT's RPC), for the gRPC server to serve too. */
  get localPaths(): string[] {
    return this.routes.filter((r) => r.grpcPath in this.local).map((r) => r.grpcPath).filter((p, i, all) => all.indexOf(p) === i);
  }

  /** A local method called with protobuf bytes (from gRPC): its answer as protobuf bytes. */
  async callLocal(grpcPath: string, request: Uint8Array, height: bigint | undefined): Promise<Uint8Array> {
    const route = this.routes.find((r) => r.grpcPath === grpcPath);
    const local = this.local[grpcPath];
    if (!route || !local) throw new GatewayError(12, `${grpcPath} is not served here`);
    let req: Message;
    try {
      req = fromBinary(route.method.input, request);
    } catch (err) {
      throw GatewayError.invalidArgument(`request does not decode as ${route.method.input.typeName}: ${(err as Error).message}`);
    }
    const out = await local(req, { ...this.ctx, height });
    if (out instanceof Uint8Array) return out;
    return toBinary(route.method.output, fromJson(route.method.output, out, { registry: this.registry }));
  }

  /** A local method's JSON, parsed against the response schema so its shape is the SDK's. */
  private normalize(route: Route, out: JsonObject): JsonObject {
    let msg: Message;
    try {
      msg = fromJson(route.method.output, out, { registry: this.registry });
    } catch (err) {
      throw new GatewayError(13, `${route.grpcPath} built an answer that does not fit its schema: ${(err as Error).message}`);
    }
    return this.json.toJson(route.method.output, msg);
  }
}

/** google.api.HttpRule as @bufbuild/protobuf reads the option. */
interface HttpRule {
  pattern: { case: "get" | "put" | "post" | "delete" | "patch"; value: string } | { case: "custom"; value: unknown } | { case: undefined; value?: undefined };
  body: string;
  additionalBindings: HttpRule[];
}

function collectRoutes(registry: FileRegistry, httpExt: DescExtension): Route[] {
  const routes: Route[] = [];
  for (const file of registry.files) {
    for (const service of file.services) {
      for (const method of service.methods) {
        if (method.methodKind !== "unary" || !hasOption(method, httpExt)) continue;
        const rule = getOption(method, httpExt) as unknown as HttpRule;
        for (const r of [rule, ...rule.additionalBindings]) {
          const p = r.pattern;
          if (p.case === undefined || p.case === "custom") continue;
          routes.push({ verb: p.case.toUpperCase(), template: parsePathTemplate(p.value), method, grpcPath: `/${service.typeName}/${method.name}`, body: r.body });
        }
      }
    }
  }
  return routes;
}
