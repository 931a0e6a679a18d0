// Types of bin/cli-bundle.js (plain JavaScript so the launchers need no compiler) for the TypeScript that imports it.
export declare const root: string;
export declare const distDir: string;
export declare const STAMP: string;
export declare function sha256(bytes: Uint8Array | string): string;
export type BundleState = { state: "fresh"; build: string } | { state: "missing" } | { state: "stale"; changed: string[]; build: string };
export declare function bundleState(dir?: string): BundleState;
export declare function launch(name: string, source: string): Promise<void>;
