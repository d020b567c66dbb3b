/**
 * Bad input: 3,000 seeded random requests (methods, paths, api-versions, headers, tokens, bodies up to
 * past the 1 MiB limit, raw bytes that are not HTTP) against an in-process emulator. Every answer is a
 * 2xx for a request that happened to be valid, or a 4xx in the service's error shape; never a 5xx or
 * a crash; and rejected requests leave the store unchanged. `scripts/emulator-fuzz.ts` runs 100,000.
 */
import { describe, expect, it } from "vitest";
import { runFuzz } from "../../scripts/emulator-fuzz-runner.js";

describe("emulator fuzzing", () => {
  it("answers 3,000 random requests with documented 2xx or well-formed 4xx, and rejected ones change nothing", async () => {
    const report = await runFuzz({ seed: 20_240_601, requests: 3000 });
    expect(report.failures).toEqual([]);
    expect(report.requests).toBe(3000);
    expect(Object.keys(report.byStatus).filter((status) => status.startsWith("5"))).toEqual([]);
    // The run reached every kind of answer it is meant to exercise.
    expect(report.raw).toBeGreaterThan(0);
    expect(report.oversize).toBeGreaterThan(0);
    expect(report.accepted).toBeGreaterThan(0);
    for (const status of ["400", "401", "404", "405", "413", "431"])
      expect(report.byStatus[status] ?? 0, status).toBeGreaterThan(0);
  }, 120_000);
});
