/**
 * Sets `key = value` inside `[section]` of a TOML file's text, keeping its comments
 * (CometBFT's config.toml is documented inline; a parse/serialise round trip would
 * drop that). Use "" as section for top-level keys.
 */
export function setTomlValue(text: string, section: string, key: string, value: string | number | boolean | readonly string[]): string {
  const lines = text.split("\n");
  let current = "";
  const rendered = typeof value === "string" ? JSON.stringify(value) : Array.isArray(value) ? `[${value.map((v) => JSON.stringify(v)).join(", ")}]` : String(value);
  for (let i = 0; i < lines.length; i++) {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(lines[i]);
    if (header) {
      current = header[1].trim();
      continue;
    }
    if (current === section && new RegExp(`^\\s*${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*=`).test(lines[i])) {
      lines[i] = `${key} = ${rendered}`;
      return lines.join("\n");
    }
  }
  throw new Error(`config key ${section ? section + "." : ""}${key} not found`);
}

export function getTomlValue(text: string, section: string, key: string): string | undefined {
  let current = "";
  for (const line of text.split("\n")) {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header) {
      current = header[1].trim();
      continue;
    }
    const m = new RegExp(`^\\s*${key}\\s*=\\s*"?([^"#]*)"?`).exec(line);
    if (current === section && m) return m[1].trim();
  }
  return undefined;
}
