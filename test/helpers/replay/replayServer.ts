/*
 * The replay's vault: nock answers every request to the recorded origins with the next served entry,
 * in recorded order, and compares the request with the recorded one (requestMatch.ts). A request
 * without a token gets the recorded 401 challenge when that is the next entry, or a synthetic one:
 * the C++ recorder did not keep them.
 */
import nock from "nock";
import { HTTP_METHODS } from "../mockVault.js";
import { challengeHeader, challengeResourceOf, jsonObject, UNAUTHORIZED_BODY, ZERO_TENANT } from "../wire.js";
import type { Plan } from "./plan.js";
import { isChallenge, type RecordedEntry, type Recording } from "./recording.js";
import { requestMismatches, type SentRequest } from "./requestMatch.js";

type Answer = [status: number, body: string, headers: Record<string, string>];

/** The recorded answer, as nock sends it (a `__raw__` body is text the recorder could not parse). */
function recordedAnswer(entry: RecordedEntry): Answer {
  const body = entry.responseBody;
  const raw = jsonObject(body)["__raw__"];
  const text = body === null || body === undefined ? "" : typeof raw === "string" ? raw : JSON.stringify(body);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(entry.responseHeaders)) {
    if (name !== "content-length") headers[name] = value;
  }
  return [entry.status, text, headers];
}

/** The 401 challenge of `origin`, for a recording that did not keep it. */
function syntheticChallenge(origin: string): Answer {
  return [
    401,
    JSON.stringify(UNAUTHORIZED_BODY),
    {
      "content-type": "application/json; charset=utf-8",
      "www-authenticate": challengeHeader(challengeResourceOf(origin), ZERO_TENANT),
    },
  ];
}

export class ReplayServer {
  private cursor = 0;
  /** Differences between our requests and the recorded ones. */
  readonly mismatches: string[] = [];
  /** Recorded exchanges served (recorded challenges included). */
  exchanges = 0;
  /** Challenges answered that the recording did not hold. */
  syntheticChallenges = 0;
  /** Recover-poll entries where the client polls `/keys/{name}/{version}` and the recorder polled `/keys/{name}`. */
  private readonly versionedPolls = new Set<number>();
  private readonly served: number[];

  constructor(
    private readonly recording: Recording,
    plan: Plan,
  ) {
    this.served = plan.served;
    for (const step of plan.steps)
      if (step.kind === "pollRecover") step.entries.forEach((e) => this.versionedPolls.add(e));
    const origins = new Set(recording.entries.map((e) => new URL(e.url).origin));
    for (const origin of origins) {
      const scope = nock(origin).persist();
      for (const method of HTTP_METHODS) {
        // eslint-disable-next-line @typescript-eslint/no-this-alias
        const server = this;
        scope
          .intercept(() => true, method)
          .query(true)
          .reply(function (uri, body) {
            return server.answer({ origin, method, uri, body }, this.req.headers ?? {});
          });
      }
    }
  }

  /** The served entries not requested yet (none, after a complete replay). */
  get remaining(): number[] {
    return this.served.slice(this.cursor);
  }

  private answer(sent: SentRequest, headers: Record<string, string | string[]>): Answer {
    const index = this.served[this.cursor];
    const entry = index === undefined ? undefined : this.recording.entries[index]!;
    const authorized = headers["authorization"] !== undefined;
    const where = `${this.recording.name} entry ${index ?? "(none)"}${entry ? ` ${entry.operation} ${entry.status}` : ""}`;
    if (!authorized) {
      if (entry && isChallenge(entry) && new URL(entry.url).origin === sent.origin)
        return this.serve(where, entry, sent, false);
      this.syntheticChallenges++;
      return syntheticChallenge(sent.origin);
    }
    if (!entry) {
      this.mismatches.push(`${where}: unexpected extra request ${sent.method} ${sent.origin}${sent.uri}`);
      return [599, "", {}];
    }
    if (isChallenge(entry)) {
      this.mismatches.push(
        `${where}: expected the recorded challenge (a request without a token), got an authorized ${sent.method} ${sent.uri}`,
      );
    }
    return this.serve(where, entry, sent, this.recording.requestBodiesRecorded);
  }

  /** Compares `sent` with the next served entry and answers with it. */
  private serve(where: string, entry: RecordedEntry, sent: SentRequest, compareBody: boolean): Answer {
    const versionedPoll = this.versionedPolls.has(this.served[this.cursor]!);
    this.mismatches.push(...requestMismatches(where, entry, sent, { compareBody, versionedPoll }));
    this.cursor++;
    this.exchanges++;
    return recordedAnswer(entry);
  }
}
