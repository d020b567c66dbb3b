// Removes the previous build so that deleted sources leave no stale output behind.
import { rmSync } from "node:fs";
rmSync(new URL("../dist", import.meta.url), { recursive: true, force: true });
