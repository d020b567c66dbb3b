import type { KeyClient } from "../../src/index.js";

/** One line of the inventory: a key and why it needs attention, if it does. */
export interface InventoryEntry {
  name: string;
  enabled: boolean;
  expiresOn?: Date;
  attention?: "disabled" | "expired" | "expires-soon";
}

/**
 * Your own code, the kind a test suite wants to check against a real vault: lists every key and flags
 * the disabled ones, the expired ones and those that expire within `soonInDays`.
 */
export async function keyInventory(client: KeyClient, soonInDays = 30, now = new Date()): Promise<InventoryEntry[]> {
  const soon = now.getTime() + soonInDays * 24 * 3600 * 1000;
  const entries: InventoryEntry[] = [];
  for await (const properties of client.listPropertiesOfKeys()) {
    const entry: InventoryEntry = { name: properties.name, enabled: properties.enabled ?? true };
    if (properties.expiresOn) entry.expiresOn = properties.expiresOn;
    if (!entry.enabled) entry.attention = "disabled";
    else if (properties.expiresOn && properties.expiresOn.getTime() <= now.getTime()) entry.attention = "expired";
    else if (properties.expiresOn && properties.expiresOn.getTime() <= soon) entry.attention = "expires-soon";
    entries.push(entry);
  }
  return entries.sort((a, b) => a.name.localeCompare(b.name));
}
