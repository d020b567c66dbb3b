import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll } from "vitest";

/**
 * A maker of fresh folders under the OS temp folder (`<prefix>-XXXXXX`) for one test file: every
 * folder it made is removed after the file's tests. Call it at the top of the file, before other
 * `afterAll` hooks, so that (vitest runs after-hooks last-registered first) whatever those hooks close
 * is closed before its folder goes.
 */
export function temporaryFolders(prefix: string): () => string {
  const folders: string[] = [];
  afterAll(() => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });
  return () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
    folders.push(folder);
    return folder;
  };
}
