// Placeholder: the CryptographyClient is being written; this keeps the KeyClient compiling.
import type { TokenCredential } from "@azure/core-auth";
import type { JsonWebKeyFields } from "./models/jsonWebKey.js";
import type { KeyVaultKey } from "./models/keyVaultKey.js";
import type { CryptographyClientOptions } from "./models/operationOptions.js";

export class CryptographyClient {
  constructor(
    readonly key: string | KeyVaultKey | JsonWebKeyFields,
    readonly credential?: TokenCredential,
    readonly options: CryptographyClientOptions = {},
  ) {}
}
