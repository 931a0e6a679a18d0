import type { Server, ServiceDefinition, UntypedHandleCall, UntypedServiceImplementation } from "@grpc/grpc-js";
import { ReflectionService } from "@grpc/reflection";
import { reflectionPackage } from "./descriptors.ts";

type Registered = Array<{ definition: ServiceDefinition; implementation: UntypedServiceImplementation }>;

/** What a ReflectionService registers (grpc.reflection.v1 and v1alpha), without a server. */
function servicesOf(reflection: ReflectionService): Registered {
  const out: Registered = [];
  reflection.addToServer({ addService: (definition, implementation) => void out.push({ definition, implementation }) });
  return out;
}

/**
 * Server reflection for `services`, built on its first request: indexing every file of the
 * API descriptors takes about a second, which a node that is never asked does not spend
 * (nor its start). The methods are registered at once, from a reflection service over no files.
 */
export function addLazyReflection(server: Pick<Server, "addService">, services: readonly string[]): void {
  let handlers: Map<string, UntypedHandleCall> | undefined;
  const handlerFor = (path: string): UntypedHandleCall => {
    if (!handlers) {
      handlers = new Map();
      for (const { definition, implementation } of servicesOf(new ReflectionService(reflectionPackage(), { services: [...services] }))) {
        for (const [name, method] of Object.entries(definition)) handlers.set(method.path, implementation[name]);
      }
    }
    return handlers.get(path)!;
  };
  for (const { definition } of servicesOf(new ReflectionService({}))) {
    const implementation: UntypedServiceImplementation = {};
    for (const [name, method] of Object.entries(definition)) {
      implementation[name] = ((call: never) => (handlerFor(method.path) as (c: never) => void)(call)) as UntypedHandleCall;
    }
    server.addService(definition, implementation);
  }
}
