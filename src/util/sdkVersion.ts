/** The package version, sent in the user agent. `npm version` writes it from package.json (scripts/sync-version.mjs). */
export const SDK_VERSION = "0.1.0";
