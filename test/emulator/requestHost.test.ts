/**
 * Answers name the vault the client addressed: ids, recoveryIds, nextLinks and the restore conflict
 * message are built from the request's Host header, not from the listen address.
 */
import * as net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestVaultUrl } from "../../src/emulator/http/requestVaultUrl.js";
import type { RunningEmulator } from "../../src/emulator/index.js";
import { startTestEmulator, uniqueName, type EmulatorTestClient } from "../helpers/emulatorTestClient.js";

let emulator: RunningEmulator;
let client: EmulatorTestClient;
let port: string;
beforeAll(async () => {
  ({ emulator, client } = await startTestEmulator({ https: false, instant: true }));
  port = new URL(emulator.url).port;
});
afterAll(async () => {
  await emulator.close();
});

describe("vault URL of a request", () => {
  it("is scheme + Host, lower-cased, and the listen URL when the header is absent or not a plain host", () => {
    const fallback = "https://127.0.0.1:8443";
    expect(requestVaultUrl("https", "localhost:8443", fallback)).toBe("https://localhost:8443");
    expect(requestVaultUrl("https", "My-Vault.Example:443", fallback)).toBe("https://my-vault.example:443");
    expect(requestVaultUrl("http", "[::1]:8443", fallback)).toBe("http://[::1]:8443");
    expect(requestVaultUrl("https", "kv", fallback)).toBe("https://kv");
    for (const bad of [undefined, "", "a/b", "a@b", "a b", "a:b:c", "host:99999", "x?y", "-x", "a".repeat(301)]) {
      expect(requestVaultUrl("https", bad, fallback), String(bad)).toBe(fallback);
    }
  });
});

describe("ids follow the Host header", () => {
  const viaHost = (host: string) => ({ headers: { host } });

  it("kid, recoveryId, list kids and nextLink name the host the client used", async () => {
    const host = `localhost:${port}`;
    const vault = `http://${host}`;
    const name = uniqueName("host");
    const created = await client.post(`/keys/${name}/create`, { kty: "EC" }, viaHost(host));
    expect(created.body.key.kid).toMatch(new RegExp(`^${vault}/keys/${name}/[0-9a-f]{32}$`));
    await client.post(`/keys/${name}/create`, { kty: "EC" }, viaHost(host));
    const page = await client.get(`/keys/${name}/versions?maxresults=1`, viaHost(host));
    expect(page.body.value[0].kid.startsWith(`${vault}/keys/${name}/`)).toBe(true);
    expect(page.body.nextLink.startsWith(`${vault}/keys/${name}/versions?`)).toBe(true);
    const keys = await client.get("/keys?maxresults=1", viaHost(host));
    expect(keys.body.value[0].kid.startsWith(`${vault}/keys/`)).toBe(true);

    const other = "127.0.0.1";
    const plain = await client.get(`/keys/${name}`, viaHost(`${other}:${port}`));
    expect(plain.body.key.kid.startsWith(`http://${other}:${port}/keys/${name}/`)).toBe(true);

    const deleted = await client.request("DELETE", `/keys/${name}`, undefined, viaHost("vault.docker.internal:8443"));
    expect(deleted.body.recoveryId).toBe(`http://vault.docker.internal:8443/deletedkeys/${name}`);
    expect(deleted.body.key.kid.startsWith(`http://vault.docker.internal:8443/keys/${name}/`)).toBe(true);
    const listed = await client.get("/deletedkeys", viaHost(host));
    const item = listed.body.value.find((entry: { kid: string }) => entry.kid === `${vault}/keys/${name}`);
    expect(item.recoveryId).toBe(`${vault}/deletedkeys/${name}`);
  });

  it("the restore conflict names the key at the host the client used", async () => {
    const name = uniqueName("restore");
    await client.createKey(name, { kty: "EC" });
    const backup = (await client.post(`/keys/${name}/backup`)).body.value as string;
    const conflict = await client.post("/keys/restore", { value: backup }, viaHost(`kv.local:${port}`));
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.message).toContain(`'http://kv.local:${port}/keys/${name}'`);
  });

  it("a request without a Host header (HTTP/1.0) gets ids of the listen address", async () => {
    const name = uniqueName("nohost");
    await client.createKey(name, { kty: "EC" });
    const text = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), "127.0.0.1", () => {
        socket.write(`GET /keys/${name}?api-version=7.6 HTTP/1.0\r\nauthorization: Bearer ${client.token}\r\n\r\n`);
      });
      let received = "";
      socket.on("data", (chunk: Buffer) => (received += chunk.toString()));
      socket.on("end", () => resolve(received));
      socket.on("error", reject);
    });
    const body = JSON.parse(text.slice(text.indexOf("\r\n\r\n") + 4)) as { key: { kid: string } };
    expect(body.key.kid.startsWith(`${emulator.url}/keys/${name}/`)).toBe(true);
  });

  it("a Host header that is not a plain host gets ids of the listen address", async () => {
    const name = uniqueName("badhost");
    const created = await client.post(`/keys/${name}/create`, { kty: "EC" }, viaHost("evil.example/path#"));
    expect(created.body.key.kid.startsWith(`${emulator.url}/keys/${name}/`)).toBe(true);
  });
});
