import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The project's root folder (where bin/, .bin/ and node_modules/ are). This file is
 * app/common/repo-root.ts in the sources, two folders down; in the CLI bundle (dist/*.js,
 * built by scripts/build-cli) its code sits one folder down.
 */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), import.meta.url.endsWith(".ts") ? "../.." : "..");
