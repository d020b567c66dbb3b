/*
 * Replays every recorded session of ../shared/conformance/recordings through the KeyClient: the
 * client's requests must match the recorded ones, and its typed results must hold the recorded values.
 * Crypto operations inside a session are left to the CryptographyClient's own replay.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { resetNock, restoreNock } from "../helpers/mockVault.js";
import { planSession } from "../helpers/replay/plan.js";
import { loadRecordings } from "../helpers/replay/recording.js";
import { runSession } from "../helpers/replay/session.js";

const repoRoot = resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");
const conformanceDir = resolve(repoRoot, "../shared/conformance");
const recordingsDir = resolve(conformanceDir, "recordings");
const present = existsSync(recordingsDir);
const recordings = present ? loadRecordings(recordingsDir) : [];

if (!present) {
  console.warn(`[conformance] skipped: no recordings at ${recordingsDir} (the shared conformance data is absent).`);
}

const totals = { sessions: 0, exchanges: 0, calls: 0, syntheticChallenges: 0, skippedCrypto: 0 };

beforeEach(resetNock);
afterEach(restoreNock);
afterAll(() => {
  if (present) {
    console.log(
      `[conformance] KeyClient replay: ${totals.sessions} sessions, ${totals.exchanges} recorded exchanges replayed ` +
        `through ${totals.calls} client calls (${totals.syntheticChallenges} challenges synthesized where the recorder kept none; ` +
        `${totals.skippedCrypto} crypto exchanges left to the CryptographyClient replay).`,
    );
  }
});

describe.skipIf(!present)("KeyClient replay of the recorded service traffic", () => {
  it("finds the recordings", () => {
    expect(recordings.length).toBeGreaterThan(0);
  });

  it.each(recordings.map((r) => [r.file, r.recording] as const))("%s", async (_file, recording) => {
    const result = await runSession(recording);
    expect(result.mismatches).toEqual([]);
    expect(result.exchanges + result.skipped).toBe(recording.entries.length);
    totals.sessions++;
    totals.exchanges += result.exchanges;
    totals.calls += result.calls;
    totals.syntheticChallenges += result.syntheticChallenges;
    totals.skippedCrypto += result.skipped;
  });

  it("detects a request that differs from the recording (self-check of the replay)", async () => {
    const original = recordings.find(
      (r) =>
        r.recording.requestBodiesRecorded &&
        r.recording.entries.some((e) => e.operation === "CreateKey" && e.status === 200 && e.requestBody),
    );
    expect(original).toBeDefined();
    const recording = structuredClone(original!.recording);
    // A body field the client cannot know about, and an api-version the client was not configured with.
    const create = recording.entries.find((e) => e.operation === "CreateKey" && e.status === 200 && e.requestBody)!;
    (create.requestBody as Record<string, unknown>)["unexpected"] = true;
    const later = recording.entries[recording.entries.length - 1]!;
    later.url = later.url.replace(/api-version=[^&]+/, "api-version=1999-01-01");
    const result = await runSession(recording);
    expect(result.mismatches.some((m) => m.includes("body"))).toBe(true);
    expect(result.mismatches.some((m) => m.includes("api-version"))).toBe(true);
  });

  it("maps every recorded KeyClient operation to a call", () => {
    for (const { recording } of recordings) expect(() => planSession(recording)).not.toThrow();
  });
});
