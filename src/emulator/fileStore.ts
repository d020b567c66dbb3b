/**
 * A store persisted in a folder: `keys.json` holds every key, `secrets.json` the instance secrets
 * (token secret, emulator id, backup key). Files are written atomically (temp file, fsync, rename,
 * fsync of the folder) and writes are serialised so a later state never lands before an earlier one.
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
  private writing: Promise<void> = Promise.resolve();
  private pending: Promise<void> | undefined;
  private failure: Error | undefined;

  private constructor(
    private readonly file: string,
    snapshot: StoreSnapshot | undefined,
  ) {
    super(snapshot);
  }

  /** Opens (creating when needed) the store in `dataDir`. */
  static async open(dataDir: string): Promise<FileKeyStore> {
    await fs.mkdir(dataDir, { recursive: true });
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
    await fs.mkdir(dataDir, { recursive: true });
    const file = path.join(dataDir, secretsFileName);
    const raw = (await readJsonIfPresent(file)) as Partial<PersistedSecrets> | undefined;
    if (raw && typeof raw.authSecret === "string" && typeof raw.emulatorId === "string" && typeof raw.backupKey === "string") {
      return raw as PersistedSecrets;
    }
    const secrets = create();
    await writeFileAtomic(file, JSON.stringify(secrets));
    return secrets;
  }

  override flush(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return this.pending ?? this.writing;
  }

  protected override changed(): void {
    // Coalesce: one queued write (taking its snapshot when it starts) covers every change made before it runs.
    if (this.pending) return;
    const next = this.writing.then(async () => {
      this.pending = undefined;
      await writeFileAtomic(this.file, JSON.stringify(this.snapshot()));
    });
    this.pending = next;
    this.writing = next.catch((error: unknown) => {
      this.failure = error instanceof Error ? error : new Error(String(error));
    });
  }
}
