/**
 * A store persisted in a folder: `keys.json` holds every key, `secrets.json` the instance secrets
 * (token secret, emulator id, backup key). Files are written atomically (temp file, fsync, rename,
 * fsync of the folder) and writes are serialised so a later state never lands before an earlier one.
 * Group commit: one write covers every change made before it starts, and `flush()` resolves only
 * once the write covering the changes made so far is on disk, so an answer sent after `flush()`
 * survives a crash (SIGKILL, power loss) of the process.
 * @internal
 */
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { MemoryKeyStore } from "./memoryStore.js";
import type { StoreSnapshot } from "./store.js";

const stateFileName = "keys.json";
const secretsFileName = "secrets.json";

/** Writes `content` to `file` atomically. @internal */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  const handle = await fs.open(temp, "w", 0o600);
  try {
    await handle.writeFile(content, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dir);
}

async function syncDirectory(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, "r");
    await handle.sync();
  } catch {
    // Some platforms (Windows) cannot open or fsync a directory; the rename is still atomic there.
  } finally {
    await handle?.close();
  }
}

/** Creates a folder (and parents) and fsyncs the parent of the first one created. */
async function makeDurableDirectory(dir: string): Promise<void> {
  const first = await fs.mkdir(dir, { recursive: true });
  if (first !== undefined) await syncDirectory(path.dirname(first));
}

/** Removes temp files a killed process left behind (they never hold the only copy of a state). */
async function removeStaleTempFiles(dir: string): Promise<void> {
  const names = await fs.readdir(dir);
  await Promise.all(
    names
      .filter((name) => /^\..+\.[0-9a-f]{12}\.tmp$/.test(name))
      .map((name) => fs.rm(path.join(dir, name), { force: true })),
  );
}

async function readJsonIfPresent(file: string): Promise<unknown> {
  try {
    return JSON.parse(await fs.readFile(file, "utf8")) as unknown;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new Error(`Cannot read emulator data file ${file}: ${(error as Error).message}`);
  }
}

/** The persisted secrets of an instance. @internal */
export interface PersistedSecrets {
  authSecret: string;
  emulatorId: string;
  backupKey: string;
}

/** Keeps keys in memory and mirrors every change to `dataDir/keys.json`. @internal */
export class FileKeyStore extends MemoryKeyStore {
  /** The chain of writes; never rejects, so that a failed write does not stop later ones. */
  private tail: Promise<void> = Promise.resolve();
  /** The write that has started last (it rejects when it failed). */
  private started: Promise<void> = Promise.resolve();
  /** The queued write, not started yet: it will cover every change made until it starts. */
  private pending: Promise<void> | undefined;

  private constructor(
    private readonly file: string,
    snapshot: StoreSnapshot | undefined,
  ) {
    super(snapshot);
  }

  /** Opens (creating when needed) the store in `dataDir`. */
  static async open(dataDir: string): Promise<FileKeyStore> {
    await makeDurableDirectory(dataDir);
    await removeStaleTempFiles(dataDir);
    const file = path.join(dataDir, stateFileName);
    const raw = await readJsonIfPresent(file);
    if (raw !== undefined) {
      const snapshot = raw as Partial<StoreSnapshot>;
      if (snapshot.format !== "keyvault-keys-emulator/1" || !Array.isArray(snapshot.keys)) {
        throw new Error(`${file} is not a keyvault-keys emulator data file`);
      }
      return new FileKeyStore(file, snapshot as StoreSnapshot);
    }
    return new FileKeyStore(file, undefined);
  }

  /** Loads the secrets of `dataDir`, creating and persisting them on first use. */
  static async loadOrCreateSecrets(dataDir: string, create: () => PersistedSecrets): Promise<PersistedSecrets> {
    await makeDurableDirectory(dataDir);
    const file = path.join(dataDir, secretsFileName);
    const raw = (await readJsonIfPresent(file)) as Partial<PersistedSecrets> | undefined;
    if (
      raw &&
      typeof raw.authSecret === "string" &&
      typeof raw.emulatorId === "string" &&
      typeof raw.backupKey === "string"
    ) {
      return raw as PersistedSecrets;
    }
    const secrets = create();
    await writeFileAtomic(file, JSON.stringify(secrets));
    return secrets;
  }

  /**
   * Resolves once every change made so far is on disk; rejects when the write covering them failed
   * (the next change queues a new write, which tries again with the whole state).
   */
  override flush(): Promise<void> {
    // No queued write means every change so far was made before the last started write took its snapshot.
    return this.pending ?? this.started;
  }

  protected override changed(): void {
    if (this.pending) return; // the queued write takes its snapshot when it starts: it covers this change
    const next = this.tail.then(() => {
      this.pending = undefined;
      const write = writeFileAtomic(this.file, JSON.stringify(this.snapshot()));
      this.started = write;
      write.catch(() => undefined); // observed through `next` and flush(); avoid an unhandled rejection here
      return write;
    });
    this.pending = next;
    this.tail = next.catch(() => undefined);
  }
}
