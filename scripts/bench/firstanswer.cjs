// First answer in a fresh process: load the package, make a KeyClient and await one getKey from the
// bench server (the 401 challenge, the token, the request, the mapping: everything a short-lived
// process such as a CLI or a cold Azure Function pays). Prints the time from the script's start and
// from the process's start (performance.timeOrigin) to the result.
// Usage: node firstanswer.cjs <package> <port>
const t0 = performance.now();
const { KeyClient } = require(process.argv[2]);
const client = new KeyClient(
  `https://127.0.0.1:${process.argv[3]}`,
  { getToken: async () => ({ token: "bench-token", expiresOnTimestamp: Date.now() + 3_600_000 }) },
  { disableChallengeResourceVerification: true },
);
client.getKey("bench-key").then((key) => {
  if (key.name !== "bench-key") throw new Error("unexpected key");
  const t1 = performance.now();
  process.stdout.write(JSON.stringify({ scriptMs: t1 - t0, processMs: t1 }) + "\n");
});
