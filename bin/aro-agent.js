#!/usr/bin/env node
// Launcher: runs the TypeScript CLI through tsx's loader, so `npx aro-agent` needs no build step.
import { register } from "tsx/esm/api";

register();
await import("../app/cmd/aro-agent.ts");
