/**
 * Test helper: talks to an emulator with plain node:https / node:http requests (not the client library).
 */
import * as http from "node:http";
import * as https from "node:https";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../src/emulator/index.js";

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;

  body: any;
}

export interface RequestOptions {
  /** Bearer token; default a fresh token of the emulator; null sends no Authorization header. */
  token?: string | null;
  /** Raw body text (instead of JSON). */
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
}

export class EmulatorTestClient {
  readonly token: string;

  constructor(
    readonly emulator: RunningEmulator,
    readonly apiVersion = "2025-07-01",
  ) {
    this.token = emulator.createToken();
  }

  /** Sends a request; `path` may omit api-version, which is then added. */
  request(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<RawResponse> {
    const withVersion = path.includes("api-version=")
      ? path
      : `${path}${path.includes("?") ? "&" : "?"}api-version=${this.apiVersion}`;
    const url = path.startsWith("http") ? path : this.emulator.url + withVersion;
    const data = options.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
    const token = options.token === undefined ? this.token : options.token;
    const headers: Record<string, string> = { accept: "application/json", ...options.headers };
    if (token !== null) headers["authorization"] = `Bearer ${token}`;
    if (data !== undefined) {
      headers["content-type"] = "application/json";
      headers["content-length"] = String(Buffer.byteLength(data));
    }
    const transport = url.startsWith("https:") ? https : http;
    return new Promise((resolve, reject) => {
      const request = transport.request(url, { method, headers, ca: this.emulator.certificate }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text,
            body: text ? JSON.parse(text) : undefined,
          });
        });
        response.on("error", reject);
      });
      request.on("error", reject);
      if (data !== undefined) request.write(data);
      request.end();
    });
  }

  get(path: string, options?: RequestOptions): Promise<RawResponse> {
    return this.request("GET", path, undefined, options);
  }

  post(path: string, body?: unknown, options?: RequestOptions): Promise<RawResponse> {
    return this.request("POST", path, body, options);
  }

  /**
   * GETs `path` until it answers `status`, as a client's poller does after a delete (GET
   * /deletedkeys/{name} until 200) or a recover (GET /keys/{name} until 200); fails after ~10 s.
   */
  async pollUntil(path: string, status: number): Promise<RawResponse> {
    for (let attempt = 0; ; attempt++) {
      const response = await this.get(path);
      if (response.status === status) return response;
      if (attempt >= 500) throw new Error(`GET ${path} still answers ${response.status} after ${attempt} polls`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /**
   * Sends a request again while it answers 409 `ObjectIsBeingDeleted` (a create, import, restore,
   * purge or recover right after a deletion), as `retryWhileBeingDeleted` does; fails after ~10 s.
   */
  async retryWhileBeingDeleted(method: string, path: string, body?: unknown): Promise<RawResponse> {
    for (let attempt = 0; ; attempt++) {
      const response = await this.request(method, path, body);
      if (response.status !== 409 || response.body?.error?.innererror?.code !== "ObjectIsBeingDeleted") return response;
      if (attempt >= 500) throw new Error(`${method} ${path} is still refused after ${attempt} attempts`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Creates a key and fails loudly when the emulator refuses. */
  async createKey(name: string, body: Record<string, unknown>): Promise<RawResponse> {
    const response = await this.post(`/keys/${name}/create`, body);
    if (response.status !== 200) throw new Error(`create ${name} failed: ${response.status} ${response.text}`);
    return response;
  }
}

/** Starts an emulator and a client for it. */
export async function startTestEmulator(
  options: EmulatorOptions = {},
): Promise<{ emulator: RunningEmulator; client: EmulatorTestClient }> {
  const emulator = await startEmulator({ port: 0, ...options });
  return { emulator, client: new EmulatorTestClient(emulator) };
}

/** A unique key name for a test. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}
