/**
 * Fault injection: our KeyClient's retry and poller paths against the emulator's throttling (429 +
 * Retry-After), unavailability (503), connection resets, latency, slow deletion and slow recovery.
 */
import { spawn } from "node:child_process";
import * as http from "node:http";
import * as https from "node:https";
import * as path from "node:path";
import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { afterEach, describe, expect, it } from "vitest";
import { KeyClient, isObjectBeingDeletedError, retryWhileBeingDeleted } from "../../src/index.js";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../src/emulator/index.js";
import { FaultInjector, checkFaults, createPrng } from "../../src/emulator/http/faults.js";
import { storeFingerprint } from "../../src/emulator/internals.js";
import { EmulatorTestClient } from "../helpers/emulatorTestClient.js";

interface Seen {
  method: string;
  path: string;
  status: number | "error";
}

const running: RunningEmulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((emulator) => emulator.close()));
});

async function start(options: EmulatorOptions): Promise<RunningEmulator> {
  const emulator = await startEmulator(options);
  running.push(emulator);
  return emulator;
}

/** Our client, as the issue prescribes, with a policy recording every attempt it sends. */
function clientFor(emulator: RunningEmulator, seen: Seen[] = [], maxRetries = 12): KeyClient {
  const recorder: PipelinePolicy = {
    name: "recordAttempts",
    async sendRequest(request, next) {
      const path = new URL(request.url).pathname;
      try {
        const response = await next(request);
        seen.push({ method: request.method, path, status: response.status });
        return response;
      } catch (error) {
        seen.push({ method: request.method, path, status: "error" });
        throw error;
      }
    },
  };
  return new KeyClient(emulator.url, emulator.credential, {
    agent: new https.Agent({ ca: emulator.certificate }),
    disableChallengeResourceVerification: true,
    retryOptions: { retryDelayInMs: 10, maxRetryDelayInMs: 50, maxRetries },
    additionalPolicies: [{ policy: recorder, position: "perRetry" }],
  });
}

describe("fault settings", () => {
  it("draws the same faults for the same seed, at about the requested rates", () => {
    const settings = { throttleRate: 0.2, unavailableRate: 0.1, resetRate: 0.1, latencyInMs: [1, 3] as const, seed: 7 };
    const first = new FaultInjector(settings);
    const second = new FaultInjector(settings);
    const a = Array.from({ length: 2000 }, () => first.draw());
    expect(Array.from({ length: 2000 }, () => second.draw())).toEqual(a);
    const counts = first.counts();
    expect(counts.requests).toBe(2000);
    expect(counts.throttled).toBeGreaterThan(300);
    expect(counts.throttled).toBeLessThan(500);
    expect(counts.unavailable).toBeGreaterThan(120);
    expect(counts.reset).toBeGreaterThan(120);
    expect(a.every((d) => d.latencyInMs >= 1 && d.latencyInMs <= 3)).toBe(true);
    expect(createPrng(1)()).not.toBe(createPrng(2)());
  });

  it("rejects out-of-range settings with a RangeError naming the field", async () => {
    expect(() => checkFaults({ throttleRate: 1.5 })).toThrow(/throttleRate/);
    expect(() => checkFaults({ throttleRate: 0.6, resetRate: 0.6 })).toThrow(/at most 1/);
    expect(() => checkFaults({ latencyInMs: [5, 1] })).toThrow(/min <= max/);
    expect(() => checkFaults({ latencyInMs: -1 })).toThrow(/latencyInMs/);
    expect(() => checkFaults({ deleteDurationInMs: Number.NaN })).toThrow(/deleteDurationInMs/);
    expect(() => checkFaults({ throttleRetryAfterSeconds: 0.5 })).toThrow(/throttleRetryAfterSeconds/);
    expect(() => checkFaults({ seed: 1.5 })).toThrow(/seed/);
    await expect(startEmulator({ faults: { unavailableRate: -0.1 } })).rejects.toThrow(RangeError);
  });
});

describe("wire shape of injected faults", () => {
  it("answers 429 with Retry-After and 503 in the service's error shape, and never faults the 401 challenge", async () => {
    const emulator = await start({ https: false, faults: { throttleRate: 1, throttleRetryAfterSeconds: 3 } });
    const raw = new EmulatorTestClient(emulator);
    const before = storeFingerprint(emulator);
    const throttledAnswer = await raw.post("/keys/never/create", { kty: "EC" });
    expect(throttledAnswer.status).toBe(429);
    expect(throttledAnswer.headers["retry-after"]).toBe("3");
    expect(throttledAnswer.body.error.code).toBe("Throttled");
    expect(typeof throttledAnswer.body.error.message).toBe("string");
    const challenge = await raw.post("/keys/never/create", { kty: "EC" }, { token: null });
    expect(challenge.status).toBe(401);
    expect(challenge.headers["www-authenticate"]).toContain("resource=");
    expect(storeFingerprint(emulator)).toBe(before);

    emulator.setFaults({ unavailableRate: 1 });
    const unavailable = await raw.get("/keys");
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers["retry-after"]).toBeUndefined();
    expect(unavailable.body).toEqual({ error: { code: "ServiceUnavailable", message: expect.any(String) } });

    emulator.setFaults({ resetRate: 1 });
    await expect(raw.get("/keys")).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|EPIPE/) });
    emulator.setFaults(undefined);
    expect((await raw.get("/keys")).status).toBe(200);
    expect(emulator.faultCounts()).toMatchObject({ throttled: 1, unavailable: 1, reset: 1 });
  });
});

describe("our KeyClient against throttling, unavailability, resets and latency", () => {
  it("completes every operation through retries; faulted requests change nothing", async () => {
    const emulator = await start({
      faults: {
        throttleRate: 0.2,
        throttleRetryAfterSeconds: 0,
        unavailableRate: 0.15,
        resetRate: 0.15,
        latencyInMs: [0, 4],
        seed: 42,
      },
    });
    const seen: Seen[] = [];
    const client = clientFor(emulator, seen);
    const created: string[] = [];
    for (let i = 0; i < 12; i++) {
      const key = await client.createEcKey("retried", { tags: { i: String(i) } });
      created.push(key.properties.version ?? "");
    }
    const fetched = await client.getKey("retried", { version: created[3] ?? "" });
    expect(fetched.properties.tags).toEqual({ i: "3" });
    const updated = await client.updateKeyProperties("retried", created[5] ?? "", { tags: { updated: "yes" } });
    expect(updated.properties.tags).toEqual({ updated: "yes" });
    const versions: string[] = [];
    for await (const properties of client.listPropertiesOfKeyVersions("retried"))
      versions.push(properties.version ?? "");
    // Faults are injected before routing: no retried create made an extra version.
    expect(versions.sort()).toEqual([...created].sort());
    const counts = emulator.faultCounts();
    expect(counts.throttled).toBeGreaterThan(0);
    expect(counts.unavailable).toBeGreaterThan(0);
    expect(counts.reset).toBeGreaterThan(0);
    expect(counts.delayed).toBeGreaterThan(0);
    expect(seen.filter((s) => s.status === 429).length).toBe(counts.throttled);
    expect(seen.filter((s) => s.status === 503).length).toBe(counts.unavailable);
    expect(seen.filter((s) => s.status === "error").length).toBe(counts.reset);
  });
});

describe("slow deletion (deleteDurationInMs)", () => {
  it("the delete poller sees 404s then completes; recreating meanwhile is 409 ObjectIsBeingDeleted", async () => {
    const emulator = await start({ faults: { deleteDurationInMs: 1000 } });
    const seen: Seen[] = [];
    const client = clientFor(emulator, seen);
    await client.createRsaKey("slow-delete");
    const poller = await client.beginDeleteKey("slow-delete", { intervalInMs: 20 });
    let progress = 0;
    poller.onProgress(() => progress++);

    const conflict: unknown = await client.createEcKey("slow-delete").catch((error: unknown) => error);
    expect(isObjectBeingDeletedError(conflict)).toBe(true);
    expect(conflict).toMatchObject({
      statusCode: 409,
      details: {
        error: {
          code: "Conflict",
          message: "Key slow-delete is currently being deleted and cannot be re-created; retry later.",
          innerError: { code: "ObjectIsBeingDeleted" },
        },
      },
    });
    await expect(client.getKey("slow-delete")).rejects.toMatchObject({ statusCode: 404 });

    const deleted = await poller.pollUntilDone();
    expect(deleted.name).toBe("slow-delete");
    expect(deleted.properties.recoveryId).toContain("/deletedkeys/slow-delete");
    expect(progress).toBeGreaterThan(0);
    const polls = seen.filter((s) => s.method === "GET" && s.path === "/deletedkeys/slow-delete").map((s) => s.status);
    expect(polls.length).toBeGreaterThanOrEqual(2);
    expect(polls.slice(0, -1).every((status) => status === 404)).toBe(true);
    expect(polls.at(-1)).toBe(200);
    // Done deleting: the name is now held by a recoverable deleted key.
    await expect(client.createEcKey("slow-delete")).rejects.toMatchObject({
      statusCode: 409,
      details: { error: { innerError: { code: "ObjectIsDeletedButRecoverable" } } },
    });
  });

  it("a purge makes the name busy too; retryWhileBeingDeleted gets through", async () => {
    const emulator = await start({ faults: { deleteDurationInMs: 150 } });
    const client = clientFor(emulator);
    await client.createEcKey("purged");
    await (await client.beginDeleteKey("purged", { intervalInMs: 20 })).pollUntilDone();
    await client.purgeDeletedKey("purged");
    let attempts = 0;
    const recreated = await retryWhileBeingDeleted(
      () => {
        attempts++;
        return client.createEcKey("purged");
      },
      { intervalInMs: 30, maxAttempts: 50 },
    );
    expect(recreated.name).toBe("purged");
    expect(attempts).toBeGreaterThan(1);
  });

  it("answers the transient states on the wire: 404 deleted key, 409 recover/purge/create/import/restore, hidden from both lists", async () => {
    const emulator = await start({ https: false, faults: { deleteDurationInMs: 60_000 } });
    const raw = new EmulatorTestClient(emulator);
    await raw.createKey("busy", { kty: "EC" });
    const backup = (await raw.post("/keys/busy/backup")).body.value as string;
    expect((await raw.request("DELETE", "/keys/busy")).status).toBe(200);
    expect((await raw.get("/deletedkeys/busy")).status).toBe(404);
    expect((await raw.get("/deletedkeys")).body.value).toEqual([]);
    expect((await raw.get("/keys")).body.value).toEqual([]);
    for (const [method, path] of [
      ["POST", "/deletedkeys/busy/recover"],
      ["DELETE", "/deletedkeys/busy"],
    ] as const) {
      const answer = await raw.request(method, path);
      expect(answer.status).toBe(409);
      expect(answer.body.error).toEqual({
        code: "Conflict",
        message: "Key busy is currently being deleted; retry the operation later.",
        innererror: { code: "ObjectIsBeingDeleted" },
      });
    }
    for (const attempt of [
      raw.post("/keys/BUSY/create", { kty: "EC" }),
      raw.request("PUT", "/keys/busy", { key: { kty: "oct", k: Buffer.alloc(32, 1).toString("base64url") } }),
      raw.post("/keys/restore", { value: backup }),
    ]) {
      const answer = await attempt;
      expect(answer.status).toBe(409);
      expect(answer.body.error.innererror).toEqual({ code: "ObjectIsBeingDeleted" });
    }
  });
});

describe("slow recovery (recoverDurationInMs)", () => {
  it("the recover poller sees 404s on GET /keys/{name}/{version} then completes", async () => {
    const emulator = await start({ faults: { recoverDurationInMs: 1000 } });
    const seen: Seen[] = [];
    const client = clientFor(emulator, seen);
    const key = await client.createEcKey("slow-recover");
    await (await client.beginDeleteKey("slow-recover", { intervalInMs: 20 })).pollUntilDone();
    const poller = await client.beginRecoverDeletedKey("slow-recover", { intervalInMs: 20 });
    let progress = 0;
    poller.onProgress(() => progress++);
    const conflict = await client.createEcKey("slow-recover").catch((error: unknown) => error);
    expect(conflict).toMatchObject({
      statusCode: 409,
      details: { error: { innerError: { code: "ObjectIsBeingRecovered" } } },
    });
    const recovered = await poller.pollUntilDone();
    expect(recovered.properties.version).toBe(key.properties.version);
    expect(progress).toBeGreaterThan(0);
    const polls = seen
      .filter((s) => s.method === "GET" && s.path === `/keys/slow-recover/${key.properties.version ?? ""}`)
      .map((s) => s.status);
    expect(polls.length).toBeGreaterThanOrEqual(2);
    expect(polls.slice(0, -1).every((status) => status === 404)).toBe(true);
    expect(polls.at(-1)).toBe(200);
    expect((await client.getKey("slow-recover")).key?.x).toEqual(key.key?.x);
  });
});

describe("CLI fault flags", () => {
  const repoRoot = path.resolve(__dirname, "../..");
  const run = (
    args: string[],
    onReady?: (output: string) => Promise<void>,
  ): Promise<{ code: number | null; output: string }> =>
    new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ["--import", "tsx", "src/emulator/cli.ts", "--port", "0", "--http", ...args],
        { cwd: repoRoot },
      );
      let output = "";
      let started = false;
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        if (!started && onReady && /KEYVAULT_EMULATOR_TOKEN=\S+\n/.test(output)) {
          started = true;
          onReady(output).then(
            () => child.kill("SIGTERM"),
            (error: unknown) => {
              child.kill("SIGKILL");
              reject(error instanceof Error ? error : new Error(String(error)));
            },
          );
        }
      };
      child.stdout.on("data", onData);
      child.stderr.on("data", onData);
      child.on("exit", (code) => resolve({ code, output }));
    });
  const get = (url: string, token?: string): Promise<http.IncomingMessage> =>
    new Promise((resolve, reject) => {
      http
        .get(
          `${url}/keys?api-version=7.6`,
          { headers: token ? { authorization: `Bearer ${token}` } : {} },
          (response) => {
            response.resume();
            resolve(response);
          },
        )
        .on("error", reject);
    });

  it("--throttle-rate, --throttle-retry-after and --seed throttle authenticated requests only", async () => {
    const { code, output } = await run(
      ["--throttle-rate", "1", "--throttle-retry-after", "2", "--latency", "1-3", "--seed", "9"],
      async (ready) => {
        const url = /listening at (http:\/\/\S+)/.exec(ready)?.[1] ?? "";
        const token = /KEYVAULT_EMULATOR_TOKEN=(\S+)/.exec(ready)?.[1] ?? "";
        const throttledAnswer = await get(url, token);
        expect(throttledAnswer.statusCode).toBe(429);
        expect(throttledAnswer.headers["retry-after"]).toBe("2");
        expect((await get(url)).statusCode).toBe(401);
      },
    );
    expect(output).toContain(
      'Fault injection: {"throttleRate":1,"throttleRetryAfterSeconds":2,"latencyInMs":[1,3],"seed":9}',
    );
    expect(code).toBe(0);
  });

  it("rejects bad fault values with exit code 2", async () => {
    for (const args of [
      ["--throttle-rate", "1.5"],
      ["--reset-rate", "x"],
      ["--latency", "5-1"],
      ["--delete-duration", "-3"],
      ["--throttle-rate", "0.7", "--unavailable-rate", "0.7"],
    ]) {
      const { code, output } = await run(args);
      expect(code, args.join(" ")).toBe(2);
      expect(output).toContain("Usage:");
    }
  });
});
