/*
 * A replayed list: the list the first page's operation names, iterated by page with the recorded
 * maxresults; each page must hold the recorded items and continuation token, and no page may follow
 * the last recorded one.
 */
import { expect } from "vitest";
import type { DeletedKey, KeyProperties } from "../../../src/index.js";
import { jsonObject, type Json } from "../wire.js";
import { expectDeletedKeyMatchesWire, expectPropertiesMatchWire } from "../wireAssertions.js";
import type { StepContext } from "./stepContext.js";

type Pages = AsyncIterableIterator<Array<KeyProperties | DeletedKey> & { continuationToken?: string }>;

export async function list({ client, recording, step, where }: StepContext): Promise<void> {
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
  const pages = (iterator.byPage as (settings?: { maxPageSize?: number }) => Pages)(
    max ? { maxPageSize: Number(max) } : {},
  );
  for (const [n, entry] of entries.entries()) {
    const next = await pages.next();
    expect(next.done, `${where}: page ${n}`).toBe(false);
    const page = next.value!;
    const wire = jsonObject(entry.responseBody);
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
  if (!jsonObject(entries[entries.length - 1]!.responseBody)["nextLink"]) {
    expect((await pages.next()).done, `${where}: no page after the last`).toBe(true);
  }
}
