/**
 * The child of the store-level crash test (scripts/emulator-crash-store-lib.ts): opens a FileKeyStore
 * on a folder with a tiny compaction threshold (so that compactions are nearly always under way) and
 * commits changes from several concurrent loops until it is killed. Each change is printed before its
 * commit starts (`S <json>`) and after it resolves (`A <json>`), with synchronous writes to stdout,
 * so what the parent reads survives the SIGKILL.
 *   node --import tsx scripts/emulator-crash-store-child.ts <dataDir> <seed> <loops> <round>
 */
import { writeSync } from "node:fs";
import { FileKeyStore } from "../src/emulator/store/fileStore.js";
import type { KeyChange, StoredKeyVersion } from "../src/emulator/store/keyStore.js";
import { Random } from "./emulator-fuzz-values.js";

const [dataDir = "", seedText = "1", loopsText = "4", round = "0"] = process.argv.slice(2);
const store = await FileKeyStore.open(dataDir, { minimumCompactionBytes: 2048 });
const random = new Random(Number(seedText));

function version(): StoredKeyVersion {
  return {
    version: random.bytes(16).toString("hex"),
    sequence: store.nextSequence(),
    kty: "oct",
    keyOps: ["encrypt", "decrypt"],
    material: { kty: "oct", k: random.bytes(random.int(16, 600)).toString("base64url") },
    attributes: { enabled: true, created: 1, updated: 1, exportable: false },
  };
}

async function commit(change: KeyChange): Promise<void> {
  writeSync(1, `S ${JSON.stringify(change)}\n`);
  await store.commit(change);
  writeSync(1, `A ${JSON.stringify(change)}\n`);
}

/**
 * One loop: keys made, given versions, soft-deleted or not, then removed, one after the other. The
 * first key of each loop of the first round stays (checked after every later kill); the state stays
 * small, so that a compaction starts every few KiB.
 */
async function loop(index: number): Promise<void> {
  for (let n = 0; ; n++) {
    const name = `r${round}-w${index}-k${n}`;
    await commit({ op: "put", key: { name, versions: [version()] } });
    for (let i = random.int(0, 3); i > 0; i--) await commit({ op: "version", name, version: version() });
    if (random.chance(0.5)) await commit({ op: "set", name, fields: { deletedDate: 5, scheduledPurgeDate: 9 } });
    if (round !== "1" || n > 0) await commit({ op: "remove", name });
  }
}

writeSync(1, "ready\n");
await Promise.all(Array.from({ length: Number(loopsText) }, (_, index) => loop(index)));
