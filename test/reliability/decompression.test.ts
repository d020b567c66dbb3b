/*
 * Issue 10: every request says `Accept-Encoding: gzip,deflate` (core-rest-pipeline's
 * decompressResponsePolicy) and the HTTP client decodes such answers; the size limit counts the
 * decoded bytes, so a small compressed answer that inflates past it is refused while it inflates.
 */
import { gzipSync, deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { KeyClient } from "../../src/index.js";
import { defaultMaxResponseBodyBytes } from "../../src/http/responseSizeLimit.js";
import * as local from "../helpers/localServers.js";
import { FAST_RETRY, RecordingCredential, keyBundle, vault, type LocalServer } from "../helpers/localServers.js";

const servers = local.closedAfterEachTest();

async function encodingVault(encode: (body: Buffer) => Buffer, encoding: string): Promise<LocalServer> {
  return servers.start(
    vault((request, response, self) => {
      const body = encode(Buffer.from(JSON.stringify(keyBundle(self.url, "k"))));
      response.writeHead(200, {
        "content-type": "application/json; charset=utf-8",
        "content-encoding": encoding,
        "content-length": body.length,
      });
      response.end(body);
    }),
    { https: true },
  );
}

function clientFor(server: LocalServer): KeyClient {
  return new KeyClient(server.url, new RecordingCredential(), {
    retryOptions: FAST_RETRY,
    ...local.trustingTlsOptions(),
  });
}

describe("compressed answers", () => {
  for (const [encoding, encode] of [
    ["gzip", gzipSync],
    ["deflate", deflateSync],
  ] as const) {
    it(`asks for gzip and deflate, and decodes a ${encoding} answer`, async () => {
      const server = await encodingVault((b) => encode(b), encoding);
      const key = await clientFor(server).getKey("k");
      expect(key.id).toBe(`${server.url}/keys/k/0123456789abcdef0123456789abcdef`);
      expect(key.key?.crv).toBe("P-256");
      for (const request of server.requests) expect(request.headers["accept-encoding"]).toBe("gzip,deflate");
    });
  }

  it("refuses an answer that inflates past the size limit (a zip bomb), however small on the wire", async () => {
    const bomb = gzipSync(Buffer.alloc(defaultMaxResponseBodyBytes + 1024, 0x20));
    expect(bomb.length).toBeLessThan(100_000);
    const server = await servers.start(
      vault((request, response) => {
        response.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
        response.end(bomb);
      }),
      { https: true },
    );
    await expect(clientFor(server).getKey("k")).rejects.toMatchObject({
      name: "RestError",
      code: "ResponseTooLarge",
      statusCode: 200,
    });
  });

  it("fails with a RestError, not a crash, when the compressed body is corrupt", async () => {
    const server = await encodingVault(() => Buffer.from("not gzip at all"), "gzip");
    await expect(clientFor(server).getKey("k")).rejects.toMatchObject({ name: "RestError", code: "PARSE_ERROR" });
  });
});
