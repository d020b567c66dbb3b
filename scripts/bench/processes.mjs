// The child processes of `npm run bench`: the fixed-answer server (server.mjs) and each measuring
// script, in an environment that trusts the bench certificate and carries nothing of the caller's that
// would change what is measured (logging, debug hooks, NODE_OPTIONS, proxies).
import { spawn } from "node:child_process";
import { join } from "node:path";

/** The environment of every child: the caller's, less what would change the figures. */
export function childEnvironment(cert) {
  const env = { ...process.env, NODE_EXTRA_CA_CERTS: cert.cert, AZURE_LOG_LEVEL: "" };
  delete env.AZURE_LOG_LEVEL;
  delete env.DEBUG;
  delete env.NODE_OPTIONS;
  for (const name of ["HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy", "NO_PROXY", "no_proxy"])
    delete env[name];
  return env;
}

/** Starts server.mjs with `keys` keys to list; resolves with its port and a `stop()`. */
export function startServer(context, keys) {
  const { here, cert, env } = context;
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(here, "server.mjs"), "--cert", cert.cert, "--key", cert.key, "--keys", String(keys)],
      {
        stdio: ["pipe", "pipe", "inherit"],
        env,
      },
    );
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const line = out.split("\n")[0];
      if (out.includes("\n")) resolve({ port: JSON.parse(line).port, stop: () => child.stdin.end() });
    });
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`bench server exited with ${code}`)));
  });
}

/** Runs `node <args>` in the repository; resolves with the JSON of its last line of output and its wall time. */
export function runNode(context, args, options = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, args, {
      cwd: context.root,
      env: context.env,
      stdio: ["ignore", "pipe", "inherit"],
      ...options,
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("exit", (code) => {
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0) reject(new Error(`node ${args.join(" ")} exited with ${code}`));
      else resolve({ result: JSON.parse(out.trim().split("\n").pop()), wallMs });
    });
  });
}

/** The median of the finite numbers among `values`; `undefined` when there are none. */
export const median = (values) => {
  const v = values.filter((x) => typeof x === "number" && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return undefined;
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
