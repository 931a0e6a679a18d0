import type { Command } from "commander";

/**
 * A top-level command whose module is imported only when it runs: the root's help lists it
 * from `usage` and `summary` alone, so `--help` and every other command start without loading
 * its dependencies (libp2p, LMDB, the modules, CosmJS).
 */
export interface LazyCommand {
  /** Name and arguments as the root's help shows them, e.g. "init <moniker>". */
  readonly usage: string;
  readonly summary: string;
  readonly aliases?: readonly string[];
  readonly load: () => Promise<Command>;
}

/**
 * The command `argv` (without node and the script) runs: its first word that is not an option,
 * or the word after `help`. Undefined for the root alone (`--help`, `--version`, nothing).
 */
export function invokedCommand(argv: readonly string[]): string | undefined {
  const words = argv.filter((a) => !a.startsWith("-"));
  return words[0] === "help" ? words[1] : words[0];
}

/**
 * Adds `commands` to `program`: the invoked one (or, for `load: "all"`, every one) loaded
 * whole, the others as stubs that only describe themselves.
 */
export async function addLazyCommands(program: Command, commands: readonly LazyCommand[], argv: readonly string[], load: "invoked" | "all" = "invoked"): Promise<void> {
  const invoked = invokedCommand(argv);
  for (const c of commands) {
    const name = c.usage.split(" ")[0];
    if (load === "all" || name === invoked || (invoked !== undefined && c.aliases?.includes(invoked))) {
      const real = await c.load();
      if (real.name() !== name) throw new Error(`lazy command ${name} loaded a command named ${real.name()}`);
      program.addCommand(real.summary(c.summary));
    } else {
      const stub = program.command(c.usage).description(c.summary);
      for (const a of c.aliases ?? []) stub.alias(a);
    }
  }
}
