/*
 * The replayed pollers: beginDeleteKey and beginRecoverDeletedKey, then their polls. A recording that
 * stops while the operation still runs is polled once per recorded poll, and the poller is resumed from
 * its serialized state; otherwise it is polled until done and its result checked against the last answer.
 */
import { expect } from "vitest";
import { expectDeletedKeyMatchesWire, expectKeyMatchesWire } from "../wireAssertions.js";
import { jsonObject } from "../wire.js";
import type { StepRunner } from "./keySteps.js";
import type { StepKind } from "./plan.js";
import { expectCall, type StepContext } from "./stepContext.js";

async function poll(context: StepContext): Promise<void> {
  const { client, step, last, where, pollerKey, state } = context;
  const pollers = step.kind === "pollDelete" ? state.deletePollers : state.recoverPollers;
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
    return;
  }
  pollers.delete(pollerKey);
  let progress = 0;
  poller!.onProgress(() => progress++);
  await expectCall(
    context,
    () => poller!.pollUntilDone(),
    (result) => {
      expect(progress, where).toBeGreaterThanOrEqual(1);
      const final = jsonObject(last.responseBody);
      if (last.status === 200) {
        if (step.kind === "pollDelete") expectDeletedKeyMatchesWire(result, final);
        else expectKeyMatchesWire(result, final);
      }
    },
    // A 403 ends a delete poller as done: the caller may not read deleted keys.
    last.status === 403 ? 200 : last.status,
  );
}

export const pollerSteps = {
  beginDelete: async (context) => {
    const { answer, pollerKey, state } = context;
    await expectCall(
      context,
      () => context.client.beginDeleteKey(context.step.name, { intervalInMs: 1 }),
      (poller) => {
        expectDeletedKeyMatchesWire(poller.getOperationState().result!, answer);
        if (answer["recoveryId"]) state.deletePollers.set(pollerKey, poller);
        else expect(poller.isDone()).toBe(true);
      },
    );
  },
  beginRecover: async (context) => {
    await expectCall(
      context,
      () => context.client.beginRecoverDeletedKey(context.step.name, { intervalInMs: 1 }),
      (poller) => {
        expectKeyMatchesWire(poller.getOperationState().result!, context.answer);
        context.state.recoverPollers.set(context.pollerKey, poller);
      },
    );
  },
  pollDelete: poll,
  pollRecover: poll,
} satisfies Partial<Record<StepKind, StepRunner>>;
