/*
 * Replays a recorded Key Vault session through the KeyClient: plans the calls (plan.ts), serves the
 * recorded answers and compares the requests (replayServer.ts), makes each call with one KeyClient per
 * recorded vault and checks every typed result against the recorded answer (keySteps.ts,
 * pollerSteps.ts, listStep.ts).
 */
import { KeyClient } from "../../../src/index.js";
import { FakeCredential } from "../fakeCredential.js";
import { keySteps, type StepRunner } from "./keySteps.js";
import { list } from "./listStep.js";
import { planSession, type StepKind } from "./plan.js";
import { pollerSteps } from "./pollerSteps.js";
import type { Recording } from "./recording.js";
import { ReplayServer } from "./replayServer.js";
import { stepContext, type SessionState } from "./stepContext.js";

const runners: Record<StepKind, StepRunner> = { ...keySteps, ...pollerSteps, list };

export interface SessionResult {
  /** KeyClient calls made. */
  calls: number;
  /** Recorded exchanges served (recorded challenges included). */
  exchanges: number;
  /** Challenges answered that the recording did not hold. */
  syntheticChallenges: number;
  /** Crypto entries left to the CryptographyClient's replay. */
  skipped: number;
  /** Every difference from the recording; empty when the replay matched. */
  mismatches: string[];
}

export async function runSession(recording: Recording): Promise<SessionResult> {
  const plan = planSession(recording);
  const server = new ReplayServer(recording, plan);
  const apiVersion = new URL(recording.entries[0]!.url).searchParams.get("api-version") ?? recording.apiVersions[0]!;
  const clients = new Map<string, KeyClient>();
  const clientFor = (origin: string): KeyClient => {
    let client = clients.get(origin);
    if (!client) {
      client = new KeyClient(origin, new FakeCredential(), {
        serviceVersion: apiVersion,
        retryOptions: { maxRetries: 0 },
      });
      clients.set(origin, client);
    }
    return client;
  };
  const state: SessionState = { deletePollers: new Map(), recoverPollers: new Map(), lastKty: new Map() };

  for (const step of plan.steps) {
    try {
      await runners[step.kind](stepContext(recording, step, clientFor(step.origin), state));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(
        `${recording.name}: ${step.kind} ${step.name} (entries ${step.entries.join(",")}) failed: ${message}\nrequest mismatches so far: ${JSON.stringify(server.mismatches, null, 1)}`,
        { cause: error },
      );
    }
  }

  return {
    calls: plan.steps.length,
    exchanges: server.exchanges,
    syntheticChallenges: server.syntheticChallenges,
    skipped: plan.skipped.length,
    mismatches: [
      ...server.mismatches,
      ...(server.remaining.length
        ? [
            `${recording.name}: ${server.remaining.length} recorded exchanges were never requested (first: entry ${server.remaining[0]})`,
          ]
        : []),
    ],
  };
}
