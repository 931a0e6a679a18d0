/**
 * The house's one direction (ARCHITECTURE.md, "Layers"): `npm test` runs this through
 * scripts/check-layers and fails on an import that points up or sideways, or on a cycle.
 *
 *   proto/gen ← chain (kernel) ← protocol ← modules
 *                                 protocol ← client ← workers ← app (arod, aro-agent, testnet)
 *
 * scripts/ and test/ sit on top and may import anything.
 */
// unit specs sit beside the code they test and, like test/, may import anything
const up = (from, to, comment) => ({ name: `${from.name}-not-to-${to.name}`, severity: "error", comment, from: { path: from.path, pathNot: "\\.test\\.ts$" }, to: { path: to.path } });

const L = {
  gen: { name: "proto-gen", path: "^proto/gen/" },
  kernel: { name: "kernel", path: "^chain/" },
  protocol: { name: "protocol", path: "^protocol/" },
  modules: { name: "modules", path: "^modules/" },
  client: { name: "client", path: "^client/" },
  workers: { name: "workers", path: "^workers/" },
  app: { name: "app", path: "^(app)/" },
  tools: { name: "scripts-or-tests", path: "^(scripts|test)/" },
};

module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      severity: "error",
      comment: "A cycle means two files (or folders) cannot be understood or changed apart: break it with a narrow interface or a hook.",
      from: { pathNot: "^proto/gen/" },
      to: { circular: true },
    },
    up(L.gen, { name: "anything", path: "^(chain|protocol|modules|client|workers|app|scripts|test)/" }, "generated code imports only its own kind"),
    up(L.kernel, { name: "above-it", path: "^(protocol|modules|client|workers|app|scripts|test)/" }, "the kernel imports only proto/"),
    up(L.protocol, { name: "above-it", path: "^(modules|client|workers|app|scripts|test)/" }, "shared protocol rules stand on the kernel only"),
    up(L.modules, { name: "above-it", path: "^(client|workers|app|scripts|test)/" }, "modules are the state machine: no daemon, client or binary code"),
    up(L.client, { name: "beside-or-above-it", path: "^(modules|workers|app|scripts|test)/" }, "a dApp imports the client without the node daemon or the state machine"),
    up(L.workers, { name: "beside-or-above-it", path: "^(modules|app|scripts|test)/" }, "workers stand below the binaries and talk to the chain through the client, not through modules"),
    {
      name: "modules-through-expected",
      severity: "error",
      comment: "a module reaches another only through its expected.ts, which names what it needs (the SDK's expected_keepers.go); the epoch clock (modules/epochs) and the hook interfaces a module declares in its own expected.ts are shared",
      from: { path: "^modules/([^/]+)/", pathNot: "(^modules/[^/]+/expected\\.ts|\\.test\\.ts)$" },
      to: { path: "^modules/", pathNot: "^modules/($1/|epochs/|[^/]+/expected\\.ts$)" },
    },
    up(L.app, { name: "tools", path: "^(scripts|test)/" }, "the binaries do not import benchmarks or tests"),
    up({ name: "agent", path: "^app/agent/" }, { name: "arod", path: "^app/arod/" }, "the agent shares CLI pieces through app/common, not arod's commands"),
    up({ name: "arod", path: "^app/arod/" }, { name: "agent", path: "^app/agent/" }, "arod's commands do not reach into the agent (the testnet wires both)"),
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|proto/gen/cosmos)" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js", ".json"] },
  },
};
