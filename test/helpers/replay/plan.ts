/*
 * Planning a replay: the recorded entries of a session, one by one and by operation name, become
 * KeyClient calls. CreateKey is a create call with the options read from the recorded body; DeleteKey
 * and the GetDeletedKey polls after it are one delete poller; a run of list pages linked by nextLink is
 * one list iterated by page. Crypto operations belong to the CryptographyClient: skipped, and not served.
 */
import { jsonObject } from "../wire.js";
import { cryptoOperations, isChallenge, urlSegments, type RecordedEntry, type Recording } from "./recording.js";

export type StepKind =
  | "create"
  | "import"
  | "getKey"
  | "update"
  | "beginDelete"
  | "pollDelete"
  | "getDeleted"
  | "beginRecover"
  | "pollRecover"
  | "purge"
  | "backup"
  | "restore"
  | "list"
  | "rotate"
  | "getPolicy"
  | "updatePolicy"
  | "random"
  | "release";

/** One KeyClient call. */
export interface Step {
  kind: StepKind;
  /** Indexes (into `recording.entries`) of the exchanges this call makes, challenges excluded. */
  entries: number[];
  name: string;
  origin: string;
}

export interface Plan {
  steps: Step[];
  /** Entries the KeyClient does not make (crypto operations). */
  skipped: number[];
  /** Entries the replay server serves, in order (challenges included). */
  served: number[];
}

const listOperations = new Set(["GetKeys", "GetKeyVersions", "GetDeletedKeys"]);

/** Operations that are one call of one exchange, whatever comes around them. */
const singleSteps: Record<string, StepKind> = {
  CreateKey: "create",
  ImportKey: "import",
  UpdateKey: "update",
  PurgeDeletedKey: "purge",
  BackupKey: "backup",
  RestoreKey: "restore",
  RotateKey: "rotate",
  GetKeyRotationPolicy: "getPolicy",
  UpdateKeyRotationPolicy: "updatePolicy",
  GetRandomBytes: "random",
  Release: "release",
};

/** Operations whose calls name no key. */
const unnamed = new Set(["RestoreKey", "GetRandomBytes"]);

/**
 * The entries from `start` that one poller makes: each 404 of `operation` on the key `name` is
 * followed by another poll, until an answer that is not a 404 (or the end of the recorded polls).
 */
function pollRun(entries: RecordedEntry[], start: number, name: string): number[] {
  const polls = [start];
  const operation = entries[start]!.operation;
  for (;;) {
    const last = polls[polls.length - 1]!;
    const next = entries[last + 1];
    if (entries[last]!.status !== 404 || next?.operation !== operation || urlSegments(next.url).name !== name) break;
    polls.push(last + 1);
  }
  return polls;
}

/** The entries from `start` of one list call: the pages linked by nextLink. */
function pageRun(entries: RecordedEntry[], start: number): number[] {
  const pages = [start];
  const operation = entries[start]!.operation;
  for (;;) {
    const last = pages[pages.length - 1]!;
    if (!jsonObject(entries[last]!.responseBody)["nextLink"] || entries[last + 1]?.operation !== operation) break;
    pages.push(last + 1);
  }
  return pages;
}

export function planSession(recording: Recording): Plan {
  const { entries } = recording;
  const steps: Step[] = [];
  const skipped: number[] = [];
  const served: number[] = [];
  /** Keys (`origin name`) whose delete or recover poller has not seen its last answer. */
  const pending = { pollDelete: new Set<string>(), pollRecover: new Set<string>() };

  let i = 0;
  while (i < entries.length) {
    const entry = entries[i]!;
    const origin = new URL(entry.url).origin;
    const { name } = urlSegments(entry.url);
    const key = `${origin} ${name}`;
    if (cryptoOperations.has(entry.operation)) {
      skipped.push(i++);
      continue;
    }
    if (isChallenge(entry)) {
      served.push(i++);
      continue;
    }
    /** Adds the call of `indexes` and moves past them. */
    const step = (kind: StepKind, indexes: number[], stepName = name): void => {
      steps.push({ kind, entries: indexes, name: stepName, origin });
      served.push(...indexes);
      i = indexes[indexes.length - 1]! + 1;
    };

    const poll =
      entry.operation === "GetDeletedKey" && pending.pollDelete.has(key)
        ? "pollDelete"
        : entry.operation === "GetKey" && pending.pollRecover.has(key)
          ? "pollRecover"
          : undefined;
    if (poll) {
      // Polls of a delete (or recover) poller: the 404s, then the answer that ends it.
      const polls = pollRun(entries, i, name);
      if (entries[polls[polls.length - 1]!]!.status !== 404) pending[poll].delete(key);
      step(poll, polls);
      continue;
    }
    if (listOperations.has(entry.operation)) {
      step("list", pageRun(entries, i), entry.operation === "GetKeyVersions" ? name : "");
      continue;
    }
    switch (entry.operation) {
      case "GetKey":
        step("getKey", [i]);
        break;
      case "GetDeletedKey":
        step("getDeleted", [i]);
        break;
      case "DeleteKey":
        step("beginDelete", [i]);
        if (entry.status === 200 && jsonObject(entry.responseBody)["recoveryId"]) pending.pollDelete.add(key);
        break;
      case "RecoverDeletedKey":
        step("beginRecover", [i]);
        pending.pollDelete.delete(key);
        if (entry.status === 200) pending.pollRecover.add(key);
        break;
      default: {
        const kind = singleSteps[entry.operation];
        if (!kind)
          throw new Error(
            `${recording.name}: no KeyClient call is mapped to operation ${entry.operation} (entry ${i})`,
          );
        step(kind, [i], unnamed.has(entry.operation) ? "" : name);
      }
    }
  }
  return { steps, skipped, served };
}
