// The package is "type": "module"; the CommonJS build under dist/cjs needs its own marker so that
// Node reads its .js files as CommonJS.
import { writeFileSync } from "node:fs";
writeFileSync(new URL("../dist/cjs/package.json", import.meta.url), JSON.stringify({ type: "commonjs" }) + "\n");
