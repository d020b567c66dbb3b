/*
 * The replayed calls of one exchange each (create, import, get, update, purge, backup, restore,
 * rotate, rotation policy, random bytes, release): the call the recording implies, and its typed
 * result checked against the recorded answer.
 */
import { expect } from "vitest";
import type { CreateRsaKeyOptions, KeyClient, KeyVaultKey } from "../../../src/index.js";
import {
  expectBytes,
  expectDeletedKeyMatchesWire,
  expectKeyMatchesWire,
  expectRotationPolicyMatchesWire,
} from "../wireAssertions.js";
import { jsonObject, type Json } from "../wire.js";
import { bytesIfAny, defined, jwkFromWire, optionsFromBody, rotationPolicyFromWire } from "./callArguments.js";
import type { StepKind } from "./plan.js";
import { urlSegments } from "./recording.js";
import { expectCall, type StepContext } from "./stepContext.js";

export type StepRunner = (context: StepContext) => Promise<void>;

/** createKey, or the create of the key's family, with the options the request (or the answer) shows. */
async function create(context: StepContext): Promise<void> {
  const { client, body, answer, step, pollerKey, state } = context;
  const kty =
    (body?.["kty"] as string | undefined) ??
    (jsonObject(answer["key"])["kty"] as string | undefined) ??
    state.lastKty.get(pollerKey) ??
    "RSA";
  state.lastKty.set(pollerKey, kty);
  // Without recorded bodies, the options are what the answer shows (curve, tags).
  const options: CreateRsaKeyOptions = body
    ? optionsFromBody(body)
    : (defined({ curve: jsonObject(answer["key"])["crv"], tags: answer["tags"] }) as CreateRsaKeyOptions);
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
  await expectCall(context, run, (key) => expectKeyMatchesWire(key, answer));
}

/** A call on the key the step names, its result checked against the recorded answer by `check`. */
function onNamedKey<T>(
  call: (client: KeyClient, name: string) => Promise<T>,
  check: (result: T, answer: Json) => void,
): StepRunner {
  return (context) =>
    expectCall(
      context,
      () => call(context.client, context.step.name),
      (result) => check(result, context.answer),
    );
}

export const keySteps = {
  create,
  import: async (context) => {
    const { client, body, answer, step } = context;
    const jwkWire = body ? jsonObject(body["key"]) : jsonObject(answer["key"]);
    const options = body ? defined({ ...optionsFromBody(body), hardwareProtected: body["Hsm"] }) : {};
    await expectCall(
      context,
      () => client.importKey(step.name, jwkFromWire(jwkWire), options),
      (key) => expectKeyMatchesWire(key, answer),
    );
  },
  getKey: async (context) => {
    const { version } = urlSegments(context.first.url);
    await expectCall(
      context,
      () => context.client.getKey(context.step.name, version ? { version } : {}),
      (key) => expectKeyMatchesWire(key, context.answer),
    );
  },
  update: async (context) => {
    const { client, body, step } = context;
    const { version } = urlSegments(context.first.url);
    const options = body ? optionsFromBody(body) : {};
    await expectCall(
      context,
      () =>
        version
          ? client.updateKeyProperties(step.name, version, options)
          : client.updateKeyProperties(step.name, options),
      (key) => expectKeyMatchesWire(key, context.answer),
    );
  },
  getDeleted: onNamedKey((client, name) => client.getDeletedKey(name), expectDeletedKeyMatchesWire),
  purge: onNamedKey(
    (client, name) => client.purgeDeletedKey(name),
    (result) => expect(result).toBeUndefined(),
  ),
  backup: async (context) => {
    await expectCall(
      context,
      () => context.client.backupKey(context.step.name),
      (backup) => {
        expectBytes(backup, context.answer["value"], "backup");
        context.state.lastBackup = backup;
      },
    );
  },
  restore: async (context) => {
    // Without a recorded body: the backup this session made, else a placeholder blob.
    const backup =
      bytesIfAny(context.body?.["value"]) ??
      context.state.lastBackup ??
      new Uint8Array(Buffer.from("&AzureKeyVaultKeyBackupV1.microsoft.com"));
    await expectCall(
      context,
      () => context.client.restoreKeyBackup(backup),
      (key) => expectKeyMatchesWire(key, context.answer),
    );
  },
  rotate: onNamedKey((client, name) => client.rotateKey(name), expectKeyMatchesWire),
  getPolicy: onNamedKey((client, name) => client.getKeyRotationPolicy(name), expectRotationPolicyMatchesWire),
  updatePolicy: async (context) => {
    const policy = rotationPolicyFromWire(context.body ?? context.answer);
    await expectCall(
      context,
      () => context.client.updateKeyRotationPolicy(context.step.name, policy),
      (result) => expectRotationPolicyMatchesWire(result, context.answer),
    );
  },
  random: async (context) => {
    const { answer } = context;
    const count =
      (context.body?.["count"] as number | undefined) ?? Buffer.from(String(answer["value"]), "base64url").length;
    await expectCall(
      context,
      () => context.client.getRandomBytes(count),
      (bytes) => expectBytes(bytes, answer["value"], "random bytes"),
    );
  },
  release: async (context) => {
    const { body, step } = context;
    const { version } = urlSegments(context.first.url);
    const options = defined({
      version: version || undefined,
      nonce: body?.["nonce"] as string | undefined,
      algorithm: body?.["enc"] as "RSA_AES_KEY_WRAP_256" | undefined,
    });
    await expectCall(
      context,
      () =>
        context.client.releaseKey(step.name, (body?.["target"] as string | undefined) ?? "attestation-token", options),
      (result) => expect(result).toEqual({ value: context.answer["value"] }),
    );
  },
} satisfies Partial<Record<StepKind, StepRunner>>;
