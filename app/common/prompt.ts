import readline from "node:readline";

/** Reads a line from the terminal without echoing it. */
export async function readPassword(question: string): Promise<string> {
  if (!process.stdin.isTTY) throw new Error("no terminal to ask for the keyring password: set AROD_KEYRING_PASSWORD or use --keyring-backend test");
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const out = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
  process.stderr.write(question);
  out._writeToOutput = () => {};
  const answer = await new Promise<string>((resolve) => rl.question("", resolve));
  rl.close();
  process.stderr.write("\n");
  return answer;
}
