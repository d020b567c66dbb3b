// `npm version <new>` runs this (the "version" script): it writes the package.json version into
// src/util/sdkVersion.ts, which the user agent sends, so that no one edits the version in two places.
import { readFileSync, writeFileSync } from "node:fs";

const { version } = JSON.parse(readFileSync("package.json", "utf8"));
const path = "src/util/sdkVersion.ts";
const before = readFileSync(path, "utf8");
const after = before.replace(/SDK_VERSION = "[^"]*"/, `SDK_VERSION = "${version}"`);
if (!after.includes(`SDK_VERSION = "${version}"`)) throw new Error(`${path} has no SDK_VERSION to update.`);
writeFileSync(path, after);
