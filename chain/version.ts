/** arod's version (ABCI Info, `arod version`, `arod --version`): a file of its own so the CLI reads it without loading the app. */
export const APP_VERSION = "0.1.0";
