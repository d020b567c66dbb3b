/**
 * Load workloads for the emulator: many concurrent writers on one name, and a seeded mix of
 * concurrent operations; then the check that no acknowledged version is lost or duplicated.
 * Used by test/emulator/load.test.ts (short) and scripts/emulator-load.ts (long).
 */
import * as http from "node:http";
import { randomBytes } from "node:crypto";
import { Random } from "./emulator-fuzz-values.js";

/** A JSON answer. */
export interface JsonAnswer {
  status: number;
  body: { [key: string]: unknown } | undefined;
}

/** Sends JSON requests with a bearer token over plain HTTP. */
export class JsonClient {
  readonly agent: http.Agent;
  private readonly base: URL;
  inFlight = 0;
  maxInFlight = 0;

  constructor(
    url: string,
    private readonly token: string,
    maxSockets = Infinity,
  ) {
    this.base = new URL(url);
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  request(method: string, path: string, body?: unknown): Promise<JsonAnswer> {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const target = `${path}${path.includes("?") ? "&" : "?"}api-version=7.6`;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    return new Promise<JsonAnswer>((resolve, reject) => {
      const headers: Record<string, string> = {
        authorization: `Bearer ${this.token}`,
        "content-type": "application/json",
      };
      if (data !== undefined) headers["content-length"] = String(Buffer.byteLength(data));
      const outgoing = http.request(
        { agent: this.agent, host: this.base.hostname, port: this.base.port, method, path: target, headers },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            resolve({
              status: response.statusCode ?? 0,
              body: text ? (JSON.parse(text) as { [key: string]: unknown }) : undefined,
            });
          });
          response.on("error", reject);
        },
      );
      outgoing.on("error", reject);
      outgoing.end(data);
    }).finally(() => {
      this.inFlight--;
    });
  }

  /** A 200 answer's body, or an error naming the answer. */
  async ok(method: string, path: string, body?: unknown): Promise<{ [key: string]: unknown }> {
    const answer = await this.request(method, path, body);
    if (answer.status !== 200 || !answer.body)
      throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** GETs `path` until it answers 200 (a poller's loop), every 20 ms, for at most ~20 s. */
export async function pollUntilOk(client: JsonClient, path: string): Promise<{ [key: string]: unknown }> {
  for (let attempt = 0; ; attempt++) {
    const answer = await client.request("GET", path);
    if (answer.status === 200 && answer.body) return answer.body;
    if (attempt >= 1000) throw new Error(`GET ${path}: still ${answer.status} after ${attempt} polls`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The version of a KeyBundle answer. */
export function versionOf(bundle: { [key: string]: unknown }): string {
  const kid = (bundle["key"] as { kid?: string } | undefined)?.kid ?? "";
  return kid.split("/").pop() ?? "";
}

/** Every version of a key, following nextLink. */
export async function listVersions(client: JsonClient, name: string): Promise<string[]> {
  return (await listVersionItems(client, name)).map((item) => item.version);
}

/** Every version of a key with its tags, following nextLink. */
export async function listVersionItems(
  client: JsonClient,
  name: string,
): Promise<Array<{ version: string; tags: Record<string, string> }>> {
  const versions: Array<{ version: string; tags: Record<string, string> }> = [];
  let path: string | undefined = `/keys/${name}/versions?maxresults=25`;
  while (path) {
    const page = await client.ok("GET", path);
    for (const item of page["value"] as Array<{ kid: string; tags?: Record<string, string> }>)
      versions.push({ version: item.kid.split("/").pop() ?? "", tags: item.tags ?? {} });
    const next = page["nextLink"] as string | null | undefined;
    if (next) {
      const url = new URL(next);
      url.searchParams.delete("api-version");
      path = `${url.pathname}${url.search}`;
    } else {
      path = undefined;
    }
  }
  return versions;
}

/** Problems of a name's listed versions against the acknowledged ones (empty when none). */
export function versionProblems(
  name: string,
  listed: readonly string[],
  acknowledged: readonly string[],
  exactly: boolean,
): string[] {
  const problems: string[] = [];
  const counts = new Map<string, number>();
  for (const version of listed) counts.set(version, (counts.get(version) ?? 0) + 1);
  for (const [version, count] of counts)
    if (count > 1) problems.push(`${name}: version ${version} listed ${count} times`);
  for (const version of acknowledged)
    if (!counts.has(version)) problems.push(`${name}: acknowledged version ${version} is missing`);
  if (exactly && listed.length !== acknowledged.length)
    problems.push(`${name}: ${listed.length} versions listed, ${acknowledged.length} acknowledged`);
  return problems;
}

/** `writers` concurrent creates of one name; returns the acknowledged versions. */
export async function concurrentWriters(client: JsonClient, name: string, writers: number): Promise<string[]> {
  const answers = await Promise.all(
    Array.from({ length: writers }, (_, i) =>
      client.ok("POST", `/keys/${name}/create`, { kty: i % 2 ? "EC" : "oct", tags: { writer: String(i) } }),
    ),
  );
  return answers.map(versionOf);
}

/** The outcome of a mixed run. */
export interface MixedReport {
  operations: number;
  maxInFlight: number;
  acknowledgedVersions: number;
  byOperation: Record<string, number>;
  problems: string[];
}

type Operation = (client: JsonClient, name: string, acknowledged: Map<string, string[]>) => Promise<void>;

const acknowledge = (acknowledged: Map<string, string[]>, name: string, version: string): void => {
  acknowledged.get(name)?.push(version);
};

const mixedOperations: Array<[string, number, Operation]> = [
  [
    "create",
    30,
    async (c, name, ack) =>
      acknowledge(ack, name, versionOf(await c.ok("POST", `/keys/${name}/create`, { kty: "EC", crv: "P-256" }))),
  ],
  [
    "import",
    12,
    async (c, name, ack) =>
      acknowledge(
        ack,
        name,
        versionOf(
          await c.ok("PUT", `/keys/${name}`, { key: { kty: "oct", k: randomBytes(32).toString("base64url") } }),
        ),
      ),
  ],
  ["rotate", 6, async (c, name, ack) => acknowledge(ack, name, versionOf(await c.ok("POST", `/keys/${name}/rotate`)))],
  [
    "update",
    10,
    async (c, name) => {
      await c.ok("PATCH", `/keys/${name}`, { tags: { touched: "yes" } });
    },
  ],
  [
    "get",
    14,
    async (c, name) => {
      await c.ok("GET", `/keys/${name}`);
    },
  ],
  [
    "list",
    4,
    async (c) => {
      await c.ok("GET", "/keys?maxresults=10");
    },
  ],
  [
    "versions",
    6,
    async (c, name) => {
      await c.ok("GET", `/keys/${name}/versions`);
    },
  ],
  [
    "backup",
    4,
    async (c, name) => {
      await c.ok("POST", `/keys/${name}/backup`);
    },
  ],
  [
    "policy",
    4,
    async (c, name) => {
      await c.ok("PUT", `/keys/${name}/rotationpolicy`, {
        lifetimeActions: [],
        attributes: { expiryTime: "P90D" },
      });
    },
  ],
  [
    "rng",
    2,
    async (c) => {
      await c.ok("POST", "/rng", { count: 16 });
    },
  ],
];

/**
 * `operations` concurrent operations over `names` keys (each made first with one version), picked by
 * a seeded PRNG, plus delete-then-recover sequences on their own names; then checks that every name
 * lists exactly its acknowledged versions, once each.
 */
export async function mixedLoad(
  client: JsonClient,
  options: { operations: number; names: number; seed: number; prefix: string },
): Promise<MixedReport> {
  const random = new Random(options.seed);
  const names = Array.from({ length: options.names }, (_, i) => `${options.prefix}-${i}`);
  const acknowledged = new Map<string, string[]>(names.map((name) => [name, []]));
  for (const name of names)
    acknowledge(acknowledged, name, versionOf(await client.ok("POST", `/keys/${name}/create`, { kty: "EC" })));
  const total = mixedOperations.reduce((sum, [, weight]) => sum + weight, 0);
  const byOperation: Record<string, number> = {};
  const recoverNames: string[] = [];
  client.maxInFlight = 0;
  const tasks = Array.from({ length: options.operations }, (_, i): Promise<void> => {
    if (i % 50 === 49) {
      // A delete and recover of a name of its own, in the middle of the load.
      const name = `${options.prefix}-dr-${i}`;
      recoverNames.push(name);
      acknowledged.set(name, []);
      byOperation["delete+recover"] = (byOperation["delete+recover"] ?? 0) + 1;
      return (async () => {
        acknowledge(acknowledged, name, versionOf(await client.ok("POST", `/keys/${name}/create`, { kty: "oct" })));
        await client.ok("DELETE", `/keys/${name}`);
        // Deletion and recovery take a moment, as on the service: wait as the clients' pollers do.
        await pollUntilOk(client, `/deletedkeys/${name}`);
        await client.ok("POST", `/deletedkeys/${name}/recover`);
        await pollUntilOk(client, `/keys/${name}`);
      })();
    }
    let roll = random.int(1, total);
    const found = mixedOperations.find(([, weight]) => (roll -= weight) <= 0) ?? mixedOperations[0];
    if (!found) throw new Error("no operations");
    const [label, , operation] = found;
    byOperation[label] = (byOperation[label] ?? 0) + 1;
    return operation(client, random.pick(names), acknowledged);
  });
  const settled = await Promise.allSettled(tasks);
  const problems = settled.flatMap((outcome) =>
    outcome.status === "rejected" ? [(outcome.reason as Error).message] : [],
  );
  for (const [name, versions] of acknowledged) {
    try {
      problems.push(...versionProblems(name, await listVersions(client, name), versions, true));
    } catch (error) {
      if (versions.length > 0) problems.push(`${name}: ${(error as Error).message}`);
    }
  }
  return {
    operations: options.operations,
    maxInFlight: client.maxInFlight,
    acknowledgedVersions: [...acknowledged.values()].reduce((sum, list) => sum + list.length, 0),
    byOperation,
    problems,
  };
}
