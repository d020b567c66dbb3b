// A fixed-answer Key Vault endpoint on loopback, in its own process, so that the server's cost is the
// same for every client under test. It answers:
//   - any request without `Authorization`: 401 with a Key Vault `WWW-Authenticate` challenge;
//   - GET  /keys/{name}[/{version}]: a fixed RSA key bundle;
//   - POST /keys/{name}/create:      the same bundle (the body is read and ignored);
//   - GET  /keys[?$skiptoken=N]:     `--keys` key items (default 10,000), 25 a page, with a nextLink.
// Every answer is rendered once and cached, so later requests cost the same for every client.
// Usage: node server.mjs --cert cert.pem --key key.pem [--keys 10000] [--port 0]
// Prints one JSON line {"port": N} on stdout when listening; exits when stdin closes.
import { readFileSync } from "node:fs";
import { createServer } from "node:https";

const args = parseArgs(process.argv.slice(2));
const totalKeys = Number(args.keys ?? 10000);
const pageSize = 25;
const created = 1700000000;

const server = createServer({
  cert: readFileSync(args.cert),
  key: readFileSync(args.key),
  keepAlive: true,
  keepAliveTimeout: 60_000,
});
server.keepAliveTimeout = 60_000;
server.headersTimeout = 65_000;
server.requestTimeout = 0;

let origin = "";
const bundles = new Map();
const pages = new Map();
const challengeBody = Buffer.from(
  JSON.stringify({ error: { code: "Unauthorized", message: "AKV10000: Request is missing a Bearer or PoP token." } }),
);
const notFound = Buffer.from(
  JSON.stringify({ error: { code: "NotFound", message: "Not found in the bench server." } }),
);
// A fixed 2048-bit modulus (any 256 bytes will do: nobody computes with it here).
const modulus = Buffer.alloc(256, 0).map((_, i) => (i * 151 + 89) & 0xff);
modulus[0] = 0xc3;
const n = modulus.toString("base64url");

function bundle(name) {
  let body = bundles.get(name);
  if (!body) {
    body = Buffer.from(
      JSON.stringify({
        key: {
          kid: `${origin}/keys/${name}/0123456789abcdef0123456789abcdef`,
          kty: "RSA",
          key_ops: ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"],
          n,
          e: "AQAB",
        },
        attributes: {
          enabled: true,
          created,
          updated: created,
          recoveryLevel: "Recoverable+Purgeable",
          recoverableDays: 90,
          exportable: false,
        },
        tags: { purpose: "bench" },
      }),
    );
    bundles.set(name, body);
  }
  return body;
}

function page(skip) {
  let body = pages.get(skip);
  if (!body) {
    const value = [];
    for (let i = skip; i < Math.min(skip + pageSize, totalKeys); i++) {
      value.push({
        kid: `${origin}/keys/bench-key-${String(i).padStart(6, "0")}`,
        attributes: {
          enabled: true,
          created: created + i,
          updated: created + i,
          recoveryLevel: "Recoverable+Purgeable",
          recoverableDays: 90,
        },
        tags: { purpose: "bench" },
      });
    }
    const next =
      skip + pageSize < totalKeys
        ? `${origin}/keys?api-version=7.6&$skiptoken=${skip + pageSize}&maxresults=${pageSize}`
        : null;
    body = Buffer.from(JSON.stringify({ value, nextLink: next }));
    pages.set(skip, body);
  }
  return body;
}

function send(res, status, body, extra) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": body.length, ...extra });
  res.end(body);
}

let connections = 0;
server.on("secureConnection", () => connections++);

server.on("request", (req, res) => {
  if (req.url === "/__bench/connections") {
    // Not a Key Vault path: lets the bench check that each client kept its connections alive.
    send(res, 200, Buffer.from(JSON.stringify({ connections })));
    connections = 0;
    return;
  }
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    if (!req.headers.authorization) {
      send(res, 401, challengeBody, {
        "www-authenticate":
          'Bearer authorization="https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000", resource="https://vault.azure.net"',
      });
      return;
    }
    const q = req.url.indexOf("?");
    const path = q < 0 ? req.url : req.url.slice(0, q);
    const parts = path.split("/").filter(Boolean);
    if (parts[0] === "keys") {
      if (parts.length === 1 && req.method === "GET") {
        const m = /[?&]\$skiptoken=(\d+)/.exec(req.url);
        send(res, 200, page(m ? Number(m[1]) : 0));
        return;
      }
      if (parts.length === 3 && parts[2] === "create" && req.method === "POST") {
        send(res, 200, bundle(decodeURIComponent(parts[1])));
        return;
      }
      if ((parts.length === 2 || parts.length === 3) && req.method === "GET") {
        send(res, 200, bundle(decodeURIComponent(parts[1])));
        return;
      }
    }
    send(res, 404, notFound);
  });
});

server.listen(Number(args.port ?? 0), "127.0.0.1", () => {
  const { port } = server.address();
  origin = `https://127.0.0.1:${port}`;
  process.stdout.write(JSON.stringify({ port }) + "\n");
});
process.stdin.on("end", () => process.exit(0));
process.stdin.on("close", () => process.exit(0));
process.stdin.resume();

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) if (argv[i].startsWith("--")) out[argv[i].slice(2)] = argv[i + 1];
  return out;
}
