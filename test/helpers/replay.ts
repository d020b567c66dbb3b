/*
 * Replays a recorded Key Vault session (../shared/conformance/recordings, format kv-recording/1)
 * through the KeyClient.
 *
 * - `planSession` maps the recorded entries, one by one and by operation name, to KeyClient calls
 *   (CreateKey -> createKey/createEcKey/createRsaKey/createOctKey with the options read from the
 *   recorded body, DeleteKey + GetDeletedKey polls -> beginDeleteKey().pollUntilDone, a run of list
 *   pages -> one list iterated by page, ...). Crypto operations belong to the CryptographyClient and
 *   are skipped (and not served).
 * - `ReplayServer` answers with nock, in recorded order, and compares each request the client sends
 *   with the recorded one: method, path, query (modulo api-version, which is checked on its own, and
 *   order) and the body when the recorder kept bodies. A request without a token gets the recorded 401
 *   challenge when that is the next entry, or a synthetic one (the C++ recorder did not keep them).
 * - `runSession` drives the calls and checks every typed result against the recorded answer.
 */
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import nock from "nock";
import { expect } from "vitest";
import { KeyClient } from "../../src/index.js";
import type {
  CreateRsaKeyOptions,
  DeletedKey,
  JsonWebKeyFields,
  KeyProperties,
  KeyVaultKey,
  PollerLike,
  PollOperationState,
} from "../../src/index.js";
import { FakeCredential } from "./fakeCredential.js";
import {
  expectBytes,
  expectDeletedKeyMatchesWire,
  expectKeyMatchesWire,
  expectPropertiesMatchWire,
  expectRotationPolicyMatchesWire,
} from "./wireAssertions.js";

type Json = Record<string, unknown>;

export interface RecordedEntry {
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  requestBody: unknown;
  status: number;
  responseHeaders: Record<string, string>;
  responseBody: unknown;
  operation: string;
}

export interface Recording {
  format: string;
  name: string;
  apiVersions: string[];
  requestBodiesRecorded: boolean;
  entries: RecordedEntry[];
}

export interface LoadedRecording {
  file: string;
  recording: Recording;
}

/** Every recording under `dir` (`<folder>/<session>.json`), sorted by file. */
export function loadRecordings(dir: string): LoadedRecording[] {
  if (!existsSync(dir)) return [];
  const out: LoadedRecording[] = [];
  for (const folder of readdirSync(dir, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    for (const file of readdirSync(join(dir, folder.name))) {
      if (!file.endsWith(".json")) continue;
      const recording = JSON.parse(readFileSync(join(dir, folder.name, file), "utf8")) as Recording;
      if (recording.format === "kv-recording/1") out.push({ file: `${folder.name}/${file}`, recording });
    }
  }
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

/** Operations of the CryptographyClient: another suite replays them. */
export const cryptoOperations = new Set(["Encrypt", "Decrypt", "Sign", "Verify", "WrapKey", "UnwrapKey"]);

const isChallenge = (e: RecordedEntry): boolean => e.status === 401 && Boolean(e.responseHeaders["www-authenticate"]);

const obj = (value: unknown): Json =>
  value && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {};

/** Name and version segments of a recorded URL: `/keys/{name}[/{version}]`, `/deletedkeys/{name}`. */
function segments(url: string): { collection: string; name: string; version: string } {
  const parts = new URL(url).pathname.split("/").slice(1);
  return {
    collection: parts[0] ?? "",
    name: decodeURIComponent(parts[1] ?? ""),
    version: decodeURIComponent(parts[2] ?? ""),
  };
}

// ---------------------------------------------------------------------------------------------
// Planning: recorded entries -> KeyClient calls.

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

const simpleSteps: Record<string, StepKind> = {
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

export function planSession(recording: Recording): Plan {
  const { entries } = recording;
  const steps: Step[] = [];
  const skipped: number[] = [];
  const served: number[] = [];
  const pendingDelete = new Set<string>();
  const pendingRecover = new Set<string>();
  const key = (origin: string, name: string) => `${origin} ${name}`;

  let i = 0;
  while (i < entries.length) {
    const entry = entries[i]!;
    const origin = new URL(entry.url).origin;
    const { name } = segments(entry.url);
    if (cryptoOperations.has(entry.operation)) {
      skipped.push(i++);
      continue;
    }
    served.push(i);
    if (isChallenge(entry)) {
      i++;
      continue;
    }
    const step = (kind: StepKind, indexes: number[], stepName = name): void => {
      steps.push({ kind, entries: indexes, name: stepName, origin });
    };

    if (entry.operation === "GetDeletedKey" && pendingDelete.has(key(origin, name))) {
      // Polls of a delete poller: the 404s, then the answer that ends it.
      const polls = [i];
      while (
        entries[polls[polls.length - 1]!]!.status === 404 &&
        entries[polls[polls.length - 1]! + 1]?.operation === "GetDeletedKey" &&
        segments(entries[polls[polls.length - 1]! + 1]!.url).name === name
      ) {
        polls.push(polls[polls.length - 1]! + 1);
        served.push(polls[polls.length - 1]!);
      }
      if (entries[polls[polls.length - 1]!]!.status !== 404) pendingDelete.delete(key(origin, name));
      step("pollDelete", polls);
      i = polls[polls.length - 1]! + 1;
      continue;
    }
    if (entry.operation === "GetKey" && pendingRecover.has(key(origin, name))) {
      const polls = [i];
      while (
        entries[polls[polls.length - 1]!]!.status === 404 &&
        entries[polls[polls.length - 1]! + 1]?.operation === "GetKey" &&
        segments(entries[polls[polls.length - 1]! + 1]!.url).name === name
      ) {
        polls.push(polls[polls.length - 1]! + 1);
        served.push(polls[polls.length - 1]!);
      }
      if (entries[polls[polls.length - 1]!]!.status !== 404) pendingRecover.delete(key(origin, name));
      step("pollRecover", polls);
      i = polls[polls.length - 1]! + 1;
      continue;
    }
    if (listOperations.has(entry.operation)) {
      // One list call across the pages linked by nextLink.
      const pages = [i];
      let last = entry;
      while (
        obj(last.responseBody)["nextLink"] &&
        entries[pages[pages.length - 1]! + 1]?.operation === entry.operation
      ) {
        pages.push(pages[pages.length - 1]! + 1);
        served.push(pages[pages.length - 1]!);
        last = entries[pages[pages.length - 1]!]!;
      }
      step("list", pages, entry.operation === "GetKeyVersions" ? name : "");
      i = pages[pages.length - 1]! + 1;
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
        if (entry.status === 200 && obj(entry.responseBody)["recoveryId"]) pendingDelete.add(key(origin, name));
        break;
      case "RecoverDeletedKey":
        step("beginRecover", [i]);
        pendingDelete.delete(key(origin, name));
        if (entry.status === 200) pendingRecover.add(key(origin, name));
        break;
      default: {
        const kind = simpleSteps[entry.operation];
        if (!kind)
          throw new Error(
            `${recording.name}: no KeyClient call is mapped to operation ${entry.operation} (entry ${i})`,
          );
        step(kind, [i], entry.operation === "RestoreKey" || entry.operation === "GetRandomBytes" ? "" : name);
      }
    }
    i++;
  }
  return { steps, skipped, served };
}

// ---------------------------------------------------------------------------------------------
// Serving: nock answers in recorded order and compares the requests.

const methods = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

function normalizePath(path: string): string {
  const collapsed = path.replace(/\/{2,}/g, "/");
  return collapsed.length > 1 ? collapsed.replace(/\/+$/, "") : collapsed;
}

function queryWithoutApiVersion(search: URLSearchParams): string[] {
  return [...search.entries()]
    .filter(([k]) => k !== "api-version")
    .map(([k, v]) => `${k}=${v}`)
    .sort();
}

function challengeFor(origin: string): string {
  const host = new URL(origin).hostname;
  const resource = host.endsWith(".managedhsm.azure.net") ? "https://managedhsm.azure.net" : "https://vault.azure.net";
  return `Bearer authorization="https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000", resource="${resource}"`;
}

function responseOf(entry: RecordedEntry): [number, string, Record<string, string>] {
  const body = entry.responseBody;
  const text =
    body === null || body === undefined
      ? ""
      : typeof obj(body)["__raw__"] === "string"
        ? (obj(body)["__raw__"] as string)
        : JSON.stringify(body);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(entry.responseHeaders)) {
    if (name !== "content-length") headers[name] = value;
  }
  return [entry.status, text, headers];
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

  constructor(
    private readonly recording: Recording,
    private readonly served: number[],
    plan: Plan,
  ) {
    for (const step of plan.steps)
      if (step.kind === "pollRecover") step.entries.forEach((e) => this.versionedPolls.add(e));
    const origins = new Set(recording.entries.map((e) => new URL(e.url).origin));
    for (const origin of origins) {
      const scope = nock(origin).persist();
      for (const method of methods) {
        // eslint-disable-next-line @typescript-eslint/no-this-alias
        const server = this;
        scope
          .intercept(() => true, method)
          .query(true)
          .reply(function (uri, body) {
            return server.answer(origin, method, uri, body, this.req.headers ?? {});
          });
      }
    }
  }

  /** Every served entry was requested. */
  get remaining(): number[] {
    return this.served.slice(this.cursor);
  }

  private answer(
    origin: string,
    method: string,
    uri: string,
    body: unknown,
    headers: Record<string, string | string[]>,
  ): [number, string, Record<string, string>] {
    const index = this.served[this.cursor];
    const entry = index === undefined ? undefined : this.recording.entries[index]!;
    const authorized = headers["authorization"] !== undefined;
    const where = `${this.recording.name} entry ${index ?? "(none)"}${entry ? ` ${entry.operation} ${entry.status}` : ""}`;
    if (!authorized) {
      if (entry && isChallenge(entry) && new URL(entry.url).origin === origin) {
        this.compare(where, entry, index!, origin, method, uri, body, false);
        this.cursor++;
        this.exchanges++;
        return responseOf(entry);
      }
      this.syntheticChallenges++;
      return [
        401,
        JSON.stringify({
          error: { code: "Unauthorized", message: "AKV10000: Request is missing a Bearer or PoP token." },
        }),
        { "content-type": "application/json; charset=utf-8", "www-authenticate": challengeFor(origin) },
      ];
    }
    if (!entry) {
      this.mismatches.push(`${where}: unexpected extra request ${method} ${origin}${uri}`);
      return [599, "", {}];
    }
    if (isChallenge(entry)) {
      this.mismatches.push(
        `${where}: expected the recorded challenge (a request without a token), got an authorized ${method} ${uri}`,
      );
    }
    this.compare(where, entry, index!, origin, method, uri, body, this.recording.requestBodiesRecorded);
    this.cursor++;
    this.exchanges++;
    return responseOf(entry);
  }

  private compare(
    where: string,
    entry: RecordedEntry,
    index: number,
    origin: string,
    method: string,
    uri: string,
    body: unknown,
    compareBody: boolean,
  ): void {
    const ours = new URL(uri, origin);
    const recorded = new URL(entry.url);
    if (ours.origin !== recorded.origin)
      this.mismatches.push(`${where}: host ${ours.origin} != recorded ${recorded.origin}`);
    if (method !== entry.method) this.mismatches.push(`${where}: method ${method} != recorded ${entry.method}`);
    const ourPath = normalizePath(ours.pathname);
    const recordedPath = normalizePath(recorded.pathname);
    const samePath =
      ourPath === recordedPath ||
      (this.versionedPolls.has(index) &&
        ourPath.startsWith(`${recordedPath}/`) &&
        ourPath.split("/").length === recordedPath.split("/").length + 1);
    if (!samePath) this.mismatches.push(`${where}: path ${ours.pathname} != recorded ${recorded.pathname}`);
    if (ours.searchParams.get("api-version") !== recorded.searchParams.get("api-version")) {
      this.mismatches.push(
        `${where}: api-version ${ours.searchParams.get("api-version")} != recorded ${recorded.searchParams.get("api-version")}`,
      );
    }
    const ourQuery = queryWithoutApiVersion(ours.searchParams);
    const recordedQuery = queryWithoutApiVersion(recorded.searchParams);
    if (JSON.stringify(ourQuery) !== JSON.stringify(recordedQuery))
      this.mismatches.push(`${where}: query ${ourQuery.join("&")} != recorded ${recordedQuery.join("&")}`);
    const text = typeof body === "string" ? body : body === undefined || body === null ? "" : JSON.stringify(body);
    if (isChallenge(entry) || !compareBody) {
      if (isChallenge(entry) && text.length > 0) this.mismatches.push(`${where}: the challenge request carried a body`);
      return;
    }
    const parsed = text.length > 0 ? (JSON.parse(text) as unknown) : null;
    try {
      expect(parsed).toEqual(entry.requestBody ?? null);
    } catch {
      this.mismatches.push(`${where}: body ${text} != recorded ${JSON.stringify(entry.requestBody)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Driving: one KeyClient per vault, calls made from the recorded entries, results checked.

const dateOf = (seconds: unknown): Date | undefined =>
  typeof seconds === "number" ? new Date(seconds * 1000) : undefined;
const bytesOf = (text: unknown): Uint8Array | undefined =>
  typeof text === "string" ? new Uint8Array(Buffer.from(text, "base64url")) : undefined;

function defined<T extends Json>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** KeyClient create/import/update options from a recorded request body. */
function optionsFromBody(body: Json): CreateRsaKeyOptions {
  const attributes = obj(body["attributes"]);
  const policy = body["release_policy"] ? obj(body["release_policy"]) : undefined;
  return defined({
    keySize: body["key_size"],
    keyOps: body["key_ops"],
    curve: body["crv"],
    tags: body["tags"],
    enabled: attributes["enabled"],
    notBefore: dateOf(attributes["nbf"]),
    expiresOn: dateOf(attributes["exp"]),
    exportable: attributes["exportable"],
    publicExponent: body["public_exponent"],
    releasePolicy: policy
      ? defined({
          contentType: policy["contentType"],
          immutable: policy["immutable"],
          encodedPolicy: bytesOf(policy["data"]),
        })
      : undefined,
  }) as CreateRsaKeyOptions;
}

function jwkFromWire(wire: Json): JsonWebKeyFields {
  const fields: Json = { kty: wire["kty"] };
  if (wire["key_ops"]) fields["keyOps"] = wire["key_ops"];
  if (wire["crv"]) fields["crv"] = wire["crv"];
  for (const name of ["n", "e", "d", "dp", "dq", "qi", "p", "q", "k", "x", "y"])
    if (typeof wire[name] === "string") fields[name] = bytesOf(wire[name]);
  if (typeof wire["key_hsm"] === "string") fields["t"] = bytesOf(wire["key_hsm"]);
  return fields;
}

export interface SessionResult {
  calls: number;
  exchanges: number;
  syntheticChallenges: number;
  skipped: number;
  mismatches: string[];
}

type Poller = PollerLike<PollOperationState<DeletedKey>, DeletedKey>;

export async function runSession(recording: Recording): Promise<SessionResult> {
  const plan = planSession(recording);
  const server = new ReplayServer(recording, plan.served, plan);
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
  const deletePollers = new Map<string, Poller>();
  const recoverPollers = new Map<string, Poller>();
  let lastBackup: Uint8Array | undefined;
  const lastKty = new Map<string, string>();
  const { entries } = recording;

  for (const step of plan.steps) {
    try {
      await runStep(step);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(
        `${recording.name}: ${step.kind} ${step.name} (entries ${step.entries.join(",")}) failed: ${message}\nrequest mismatches so far: ${JSON.stringify(server.mismatches, null, 1)}`,
        { cause: error },
      );
    }
  }

  async function runStep(step: Step): Promise<void> {
    const first = entries[step.entries[0]!]!;
    const last = entries[step.entries[step.entries.length - 1]!]!;
    const client = clientFor(step.origin);
    const body = recording.requestBodiesRecorded ? obj(first.requestBody) : undefined;
    const answer = obj(first.responseBody);
    const where = `${recording.name}: ${step.kind} ${step.name} (entry ${step.entries[0]})`;
    const pollerKey = `${step.origin} ${step.name}`;

    /** Runs a call that the recording says fails with `first.status`, or returns its result. */
    const call = async <T>(run: () => Promise<T>, check: (result: T) => void, status = first.status): Promise<void> => {
      if (status >= 400) {
        let error: unknown;
        try {
          await run();
        } catch (e) {
          error = e;
        }
        expect(error, `${where}: expected a ${status}`).toMatchObject({ name: "RestError", statusCode: status });
        const code = obj(obj(entries[step.entries[step.entries.length - 1]!]!.responseBody)["error"])["code"];
        if (code !== undefined) expect((error as { code?: string }).code, where).toBe(code);
        return;
      }
      check(await run());
    };

    switch (step.kind) {
      case "create": {
        const kty =
          (body?.["kty"] as string | undefined) ??
          (obj(answer["key"])["kty"] as string | undefined) ??
          lastKty.get(pollerKey) ??
          "RSA";
        lastKty.set(pollerKey, kty);
        // Without recorded bodies, the options are what the answer shows (curve, tags).
        const options: CreateRsaKeyOptions = body
          ? optionsFromBody(body)
          : (defined({ curve: obj(answer["key"])["crv"], tags: answer["tags"] }) as CreateRsaKeyOptions);
        const hsm = kty.endsWith("-HSM");
        const base = kty.replace(/-HSM$/, "");
        // A recorded public_exponent came from the SDK's generic create (Go's CreateKey, Python's
        // create_key): createKey sends it for any RSA key, as they do.
        const run = (): Promise<KeyVaultKey> =>
          options.publicExponent !== undefined
            ? client.createKey(step.name, kty, options)
            : base === "RSA"
              ? client.createRsaKey(step.name, { ...options, hsm })
              : base === "EC"
                ? client.createEcKey(step.name, { ...options, hsm })
                : base === "oct"
                  ? client.createOctKey(step.name, { ...options, hsm })
                  : client.createKey(step.name, kty, options);
        await call(run, (key) => expectKeyMatchesWire(key, answer));
        break;
      }
      case "import": {
        const jwkWire = body ? obj(body["key"]) : obj(answer["key"]);
        const options = body ? defined({ ...optionsFromBody(body), hardwareProtected: body["Hsm"] }) : {};
        await call(
          () => client.importKey(step.name, jwkFromWire(jwkWire), options),
          (key) => expectKeyMatchesWire(key, answer),
        );
        break;
      }
      case "getKey": {
        const { version } = segments(first.url);
        await call(
          () => client.getKey(step.name, version ? { version } : {}),
          (key) => expectKeyMatchesWire(key, answer),
        );
        break;
      }
      case "update": {
        const { version } = segments(first.url);
        const options = body ? optionsFromBody(body) : {};
        await call(
          () =>
            version
              ? client.updateKeyProperties(step.name, version, options)
              : client.updateKeyProperties(step.name, options),
          (key) => expectKeyMatchesWire(key, answer),
        );
        break;
      }
      case "beginDelete":
        await call(
          () => client.beginDeleteKey(step.name, { intervalInMs: 1 }),
          (poller) => {
            expectDeletedKeyMatchesWire(poller.getOperationState().result!, answer);
            if (answer["recoveryId"]) deletePollers.set(pollerKey, poller);
            else expect(poller.isDone()).toBe(true);
          },
        );
        break;
      case "pollDelete":
      case "pollRecover": {
        const pollers = step.kind === "pollDelete" ? deletePollers : recoverPollers;
        const poller = pollers.get(pollerKey);
        expect(poller, `${where}: no poller`).toBeDefined();
        if (last.status === 404) {
          // The recording stops while the operation is still running: poll once per entry.
          for (let n = 0; n < step.entries.length; n++) await poller!.poll();
          expect(poller!.isDone(), where).toBe(false);
          // Resume from the serialized state: the result keeps real Dates.
          const resumeFrom = poller!.toString();
          const resumed =
            step.kind === "pollDelete"
              ? await client.beginDeleteKey(step.name, { resumeFrom, intervalInMs: 1 })
              : await client.beginRecoverDeletedKey(step.name, { resumeFrom, intervalInMs: 1 });
          expect(resumed.getOperationState().result?.properties.createdOn ?? new Date(0)).toBeInstanceOf(Date);
          break;
        }
        pollers.delete(pollerKey);
        let progress = 0;
        poller!.onProgress(() => progress++);
        await call(
          () => poller!.pollUntilDone(),
          (result) => {
            expect(progress, where).toBeGreaterThanOrEqual(1);
            const final = obj(last.responseBody);
            if (last.status === 200) {
              if (step.kind === "pollDelete") expectDeletedKeyMatchesWire(result, final);
              else expectKeyMatchesWire(result, final);
            }
          },
          last.status === 403 ? 200 : last.status,
        );
        break;
      }
      case "getDeleted":
        await call(
          () => client.getDeletedKey(step.name),
          (deleted) => expectDeletedKeyMatchesWire(deleted, answer),
        );
        break;
      case "beginRecover":
        await call(
          () => client.beginRecoverDeletedKey(step.name, { intervalInMs: 1 }),
          (poller) => {
            expectKeyMatchesWire(poller.getOperationState().result!, answer);
            recoverPollers.set(pollerKey, poller);
          },
        );
        break;
      case "purge":
        await call(
          () => client.purgeDeletedKey(step.name),
          (result) => expect(result).toBeUndefined(),
        );
        break;
      case "backup":
        await call(
          () => client.backupKey(step.name),
          (backup) => {
            expectBytes(backup, answer["value"], "backup");
            lastBackup = backup;
          },
        );
        break;
      case "restore": {
        const backup =
          bytesOf(body?.["value"]) ??
          lastBackup ??
          new Uint8Array(Buffer.from("&AzureKeyVaultKeyBackupV1.microsoft.com"));
        await call(
          () => client.restoreKeyBackup(backup),
          (key) => expectKeyMatchesWire(key, answer),
        );
        break;
      }
      case "rotate":
        await call(
          () => client.rotateKey(step.name),
          (key) => expectKeyMatchesWire(key, answer),
        );
        break;
      case "getPolicy":
        await call(
          () => client.getKeyRotationPolicy(step.name),
          (policy) => expectRotationPolicyMatchesWire(policy, answer),
        );
        break;
      case "updatePolicy": {
        const source = body ?? answer;
        const attributes = obj(source["attributes"]);
        const policy = defined({
          expiresIn: attributes["expiryTime"] as string | undefined,
          lifetimeActions: ((source["lifetimeActions"] as Json[] | undefined) ?? []).map((action) =>
            defined({
              action: obj(action["action"])["type"] as "Rotate",
              timeAfterCreate: obj(action["trigger"])["timeAfterCreate"] as string | undefined,
              timeBeforeExpiry: obj(action["trigger"])["timeBeforeExpiry"] as string | undefined,
            }),
          ),
        });
        await call(
          () => client.updateKeyRotationPolicy(step.name, policy),
          (result) => expectRotationPolicyMatchesWire(result, answer),
        );
        break;
      }
      case "random": {
        const count =
          (body?.["count"] as number | undefined) ?? Buffer.from(String(answer["value"]), "base64url").length;
        await call(
          () => client.getRandomBytes(count),
          (bytes) => expectBytes(bytes, answer["value"], "random bytes"),
        );
        break;
      }
      case "release": {
        const { version } = segments(first.url);
        const options = defined({
          version: version || undefined,
          nonce: body?.["nonce"] as string | undefined,
          algorithm: body?.["enc"] as "RSA_AES_KEY_WRAP_256" | undefined,
        });
        await call(
          () => client.releaseKey(step.name, (body?.["target"] as string | undefined) ?? "attestation-token", options),
          (result) => expect(result).toEqual({ value: answer["value"] }),
        );
        break;
      }
      case "list":
        await runList(client, recording, step, where);
        break;
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

async function runList(client: KeyClient, recording: Recording, step: Step, where: string): Promise<void> {
  const entries = step.entries.map((i) => recording.entries[i]!);
  const first = new URL(entries[0]!.url);
  const max = first.searchParams.get("maxresults");
  const operation = entries[0]!.operation;
  const iterator =
    operation === "GetKeys"
      ? client.listPropertiesOfKeys()
      : operation === "GetKeyVersions"
        ? client.listPropertiesOfKeyVersions(step.name)
        : client.listDeletedKeys();
  const pages = (
    iterator.byPage as (settings?: {
      maxPageSize?: number;
    }) => AsyncIterableIterator<Array<KeyProperties | DeletedKey> & { continuationToken?: string }>
  )(max ? { maxPageSize: Number(max) } : {});
  for (const [n, entry] of entries.entries()) {
    const next = await pages.next();
    expect(next.done, `${where}: page ${n}`).toBe(false);
    const page = next.value!;
    const wire = obj(entry.responseBody);
    const items = (wire["value"] as Json[] | undefined) ?? [];
    expect(page, `${where}: page ${n}`).toHaveLength(items.length);
    expect(page.continuationToken, `${where}: page ${n} continuationToken`).toBe(
      (wire["nextLink"] as string | null | undefined) ?? undefined,
    );
    items.forEach((item, i) => {
      if (operation === "GetDeletedKeys") expectDeletedKeyMatchesWire(page[i] as DeletedKey, item);
      else expectPropertiesMatchWire(page[i] as KeyProperties, item, item["kid"] as string);
    });
  }
  if (!obj(entries[entries.length - 1]!.responseBody)["nextLink"]) {
    expect((await pages.next()).done, `${where}: no page after the last`).toBe(true);
  }
}
