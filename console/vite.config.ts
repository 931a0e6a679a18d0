import { fileURLToPath } from "node:url";
import preact from "@preact/preset-vite";
import { defineConfig } from "vite";

const modules = fileURLToPath(new URL("../node_modules/", import.meta.url));

// Built by scripts/build-console into .bin/console/ (served by `arod start` on [console] address).
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/",
  plugins: [preact()],
  resolve: {
    alias: {
      // CosmJS ships CommonJS, which bundlers cannot tree-shake: its package index would bring the
      // HD wallet, bip39 and argon2 into the signing chunk. The tx-building file alone is what signing needs.
      "@cosmjs/proto-signing/signing": `${modules}@cosmjs/proto-signing/build/signing.js`,
    },
  },
  build: {
    target: "es2022",
    // the page is a few small chunks: the app, pico.css, and the signing code loaded when the user signs
    modulePreload: { polyfill: false },
    sourcemap: false,
    chunkSizeWarningLimit: 400,
  },
});
