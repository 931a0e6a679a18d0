#!/usr/bin/env node
// Launcher: runs the compiled CLI (dist/, built by scripts/build-cli) when it is up to date with
// the sources, else the TypeScript through tsx's loader, so `npx aro-agent` works without a build step.
import { launch } from "./cli-bundle.js";

await launch("aro-agent", "app/cmd/aro-agent.ts");
