// Cold start with `import`: as coldstart.cjs, through the package's ESM entry point.
// Usage: node coldstart.mjs <package>
const t0 = performance.now();
const { KeyClient } = await import(process.argv[2]);
const t1 = performance.now();
new KeyClient("https://myvault.vault.azure.net", { getToken: async () => null });
const t2 = performance.now();
process.stdout.write(JSON.stringify({ importMs: t1 - t0, clientMs: t2 - t0 }) + "\n");
