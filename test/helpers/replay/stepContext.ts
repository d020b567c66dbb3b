/*
 * What a replayed call has to hand: its client, its recorded entries read once (the request body when
 * the recorder kept it, the answer), the state the session carries between calls (pollers to go on
 * with, the last backup), and `expectCall`, which runs the call and checks it ended as recorded.
 */
import { expect } from "vitest";
import type { DeletedKey, KeyClient, PollerLike, PollOperationState } from "../../../src/index.js";
import { jsonObject, type Json } from "../wire.js";
import type { Step } from "./plan.js";
import type { RecordedEntry, Recording } from "./recording.js";

export type Poller = PollerLike<PollOperationState<DeletedKey>, DeletedKey>;

/** What one call leaves for the later ones of its session. */
export interface SessionState {
  deletePollers: Map<string, Poller>;
  recoverPollers: Map<string, Poller>;
  lastBackup?: Uint8Array;
  /** The key type last created under each poller key (a recreate without a recorded body keeps it). */
  lastKty: Map<string, string>;
}

export interface StepContext {
  recording: Recording;
  step: Step;
  client: KeyClient;
  /** The first and last exchanges of the call. */
  first: RecordedEntry;
  last: RecordedEntry;
  /** The recorded request body; `undefined` when the recorder kept none. */
  body: Json | undefined;
  /** The first recorded answer. */
  answer: Json;
  /** Names the call in assertion messages. */
  where: string;
  /** `origin name`: the key of the session's maps. */
  pollerKey: string;
  state: SessionState;
}

export function stepContext(recording: Recording, step: Step, client: KeyClient, state: SessionState): StepContext {
  const first = recording.entries[step.entries[0]!]!;
  return {
    recording,
    step,
    client,
    first,
    last: recording.entries[step.entries[step.entries.length - 1]!]!,
    body: recording.requestBodiesRecorded ? jsonObject(first.requestBody) : undefined,
    answer: jsonObject(first.responseBody),
    where: `${recording.name}: ${step.kind} ${step.name} (entry ${step.entries[0]})`,
    pollerKey: `${step.origin} ${step.name}`,
    state,
  };
}

/**
 * Runs a call. When the recording says it failed (`status`, by default the first entry's, is 400 or
 * more), it must reject with a RestError of that status and the recorded error code; otherwise its
 * result goes to `check`.
 */
export async function expectCall<T>(
  context: StepContext,
  run: () => Promise<T>,
  check: (result: T) => void,
  status = context.first.status,
): Promise<void> {
  const { where } = context;
  if (status >= 400) {
    let error: unknown;
    try {
      await run();
    } catch (e) {
      error = e;
    }
    expect(error, `${where}: expected a ${status}`).toMatchObject({ name: "RestError", statusCode: status });
    const code = jsonObject(jsonObject(context.last.responseBody)["error"])["code"];
    if (code !== undefined) expect((error as { code?: string }).code, where).toBe(code);
    return;
  }
  check(await run());
}
