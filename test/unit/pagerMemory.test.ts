/*
 * A long listing keeps memory flat: iterating 100,000 keys (100 pages of 1,000 from a fake HTTP client)
 * must not keep the pages or items already handed out. The heap is measured after a forced GC every
 * 10,000 items; a pager that kept what it had yielded would grow by tens of megabytes (about 0.4 kB a
 * key). No timing assertions: only the heap bound.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { HttpClient, PipelineRequest, PipelineResponse } from "@azure/core-rest-pipeline";
import { createHttpHeaders } from "@azure/core-rest-pipeline";
import { describe, expect, it } from "vitest";
import { KeyClient } from "../../src/index.js";
import { FakeCredential } from "../helpers/fakeCredential.js";

const VAULT = "https://memory.vault.azure.net";
const TOTAL = 100_000;
const PAGE = 1_000;

/** `global.gc`, or one made available in this process (the flag can be set at run time). */
function forcedGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

/** Serves `/keys` as 100 pages of 1,000 key items, each page a fresh JSON text, as a vault would. */
function pagingHttpClient(): HttpClient & { requests: number } {
  const client = {
    requests: 0,
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      client.requests++;
      const skip = Number(new URL(request.url).searchParams.get("$skiptoken") ?? "0");
      const value = [];
      for (let i = skip; i < Math.min(skip + PAGE, TOTAL); i++) {
        value.push({
          kid: `${VAULT}/keys/key-${i}`,
          attributes: {
            enabled: true,
            created: 1700000000 + i,
            updated: 1700000000 + i,
            recoveryLevel: "Recoverable+Purgeable",
            recoverableDays: 90,
          },
          tags: { index: String(i) },
        });
      }
      const next = skip + PAGE < TOTAL ? `${VAULT}/keys?api-version=2025-07-01&$skiptoken=${skip + PAGE}` : null;
      return {
        request,
        status: 200,
        headers: createHttpHeaders({ "content-type": "application/json" }),
        bodyAsText: JSON.stringify({ value, nextLink: next }),
      };
    },
  };
  return client;
}

describe("listing memory", () => {
  it("iterating 100,000 keys keeps heap growth bounded", async () => {
    const gc = forcedGc();
    const httpClient = pagingHttpClient();
    const client = new KeyClient(VAULT, new FakeCredential(), { httpClient });
    const samples: number[] = [];
    let count = 0;
    for await (const properties of client.listPropertiesOfKeys()) {
      if (properties.name !== `key-${count}`) throw new Error(`item ${count} is ${properties.name}`);
      if (++count % 10_000 === 0) {
        gc();
        samples.push(process.memoryUsage().heapUsed);
      }
    }
    expect(count).toBe(TOTAL);
    expect(httpClient.requests).toBe(TOTAL / PAGE);
    const growthMb = (Math.max(...samples.slice(1)) - samples[0]!) / 2 ** 20;
    expect(growthMb).toBeLessThan(20);
  }, 20_000);
});
