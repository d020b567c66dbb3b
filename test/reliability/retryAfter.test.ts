/*
 * Issue 10: a throttled answer's wait (Retry-After in seconds or as a date, retry-after-ms,
 * x-ms-retry-after-ms) is honoured up to `maxRetryDelayInMs`, never longer: `Retry-After: 100000`
 * would otherwise hold a call for 28 hours.
 */
import type { PipelineRequest, PipelineResponse } from "@azure/core-rest-pipeline";
import { createHttpHeaders, createPipelineRequest } from "@azure/core-rest-pipeline";
import { afterEach, describe, expect, it, vi } from "vitest";
import { KeyClient } from "../../src/index.js";
import { keyVaultRetryPolicy } from "../../src/pipeline/retryPolicy.js";
import * as local from "../helpers/localServers.js";
import { RecordingCredential, json, keyBundle, vault } from "../helpers/localServers.js";

const servers = local.closedAfterEachTest();
afterEach(() => {
  vi.useRealTimers();
});

describe("Retry-After is capped by maxRetryDelayInMs", () => {
  for (const [header, value] of [
    ["retry-after", "100000"],
    ["retry-after", new Date(Date.now() + 100_000_000).toUTCString()],
    ["retry-after-ms", "100000000"],
    ["x-ms-retry-after-ms", "100000000"],
  ] as const) {
    it(`retries a 429 with ${header}: ${value} after at most maxRetryDelayInMs`, async () => {
      let attempts = 0;
      const server = await servers.start(
        vault((request, response, self) => {
          attempts++;
          if (attempts === 1)
            json(response, 429, { error: { code: "Throttled", message: "slow down" } }, { [header]: value });
          else json(response, 200, keyBundle(self.url, "k"));
        }),
        { https: true },
      );
      const client = new KeyClient(server.url, new RecordingCredential(), {
        retryOptions: { maxRetryDelayInMs: 50 },
        ...local.trustingTlsOptions(),
      });
      // Without the cap this would wait for longer than the test's timeout.
      await expect(client.getKey("k")).resolves.toMatchObject({ name: "k" });
      expect(attempts).toBe(2);
    });
  }
});

/** The retry policy alone over a fake next step, to see the waits it takes. */
async function waitsOf(
  answers: Array<{ status: number; headers?: Record<string, string> }>,
  options: Parameters<typeof keyVaultRetryPolicy>[0],
): Promise<number[]> {
  vi.useFakeTimers({ now: Date.parse("2026-12-01T00:00:00Z") });
  const policy = keyVaultRetryPolicy(options);
  const request: PipelineRequest = createPipelineRequest({ url: "https://myvault.vault.azure.net/keys/k" });
  const sentAt: number[] = [];
  let i = 0;
  const done = policy.sendRequest(request, (sent) => {
    sentAt.push(Date.now());
    const answer = answers[Math.min(i++, answers.length - 1)]!;
    const response: PipelineResponse = {
      status: answer.status,
      headers: createHttpHeaders(answer.headers),
      request: sent,
    };
    return Promise.resolve(response);
  });
  await vi.runAllTimersAsync();
  await done;
  return sentAt.slice(1).map((t, n) => t - sentAt[n]!);
}

describe("the retry policy's waits", () => {
  it("caps Retry-After at the default maxRetryDelayInMs, 64 s", async () => {
    const waits = await waitsOf([{ status: 503, headers: { "retry-after": "100000" } }, { status: 200 }], {});
    expect(waits).toEqual([64_000]);
  });

  it("waits what a throttled answer asks when it is under the cap", async () => {
    const waits = await waitsOf([{ status: 429, headers: { "retry-after": "2" } }, { status: 200 }], {});
    expect(waits).toEqual([2000]);
  });

  it("backs off exponentially, within maxRetryDelayInMs, for 500s", async () => {
    const waits = await waitsOf([{ status: 500 }], { maxRetries: 4, retryDelayInMs: 1000, maxRetryDelayInMs: 3000 });
    expect(waits).toHaveLength(4);
    // Half of each wait is jitter: 1 s doubling, clamped at 3 s.
    const bounds = [1000, 2000, 3000, 3000];
    waits.forEach((wait, n) => {
      expect(wait).toBeGreaterThanOrEqual(bounds[n]! / 2);
      expect(wait).toBeLessThanOrEqual(bounds[n]!);
    });
  });

  it("does not retry a 400 or a 501", async () => {
    expect(await waitsOf([{ status: 400 }], {})).toEqual([]);
    expect(await waitsOf([{ status: 501 }], {})).toEqual([]);
  });
});
