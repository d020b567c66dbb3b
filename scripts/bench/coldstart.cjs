// Cold start with `require`: a fresh process loads the package and makes a client. Prints the time
// to load it and the time to load it and construct a KeyClient (no request is sent).
// Usage: node coldstart.cjs <package>
const t0 = performance.now();
const { KeyClient } = require(process.argv[2]);
const t1 = performance.now();
new KeyClient("https://myvault.vault.azure.net", { getToken: async () => null });
const t2 = performance.now();
process.stdout.write(JSON.stringify({ importMs: t1 - t0, clientMs: t2 - t0 }) + "\n");
