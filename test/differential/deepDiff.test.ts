/**
 * Self-check of the one deep comparison the differential tests use: it must see what a caller's test
 * sees, or the suite proves nothing.
 */
import { RestError } from "@azure/core-rest-pipeline";
import { describe, expect, it } from "vitest";
import { ABSENT, deepDiff, expectSame } from "../helpers/deepDiff.js";

const paths = (official: unknown, ours: unknown) => deepDiff(official, ours).map((d) => d.path);

describe("deepDiff", () => {
  it("sees an undefined-valued key that the other side lacks, at any depth", () => {
    expect(paths({ a: { version: undefined } }, { a: {} })).toEqual(["a.version"]);
    expect(paths({}, { extra: undefined })).toEqual(["extra"]);
  });

  it("tells a Buffer from a plain Uint8Array and from an Array, and compares the bytes", () => {
    expect(paths(Buffer.from([1]), new Uint8Array([1]))).toEqual([""]);
    expect(paths(new Uint8Array([1]), [1])).toEqual([""]);
    expect(paths(Buffer.from([1, 2]), Buffer.from([1, 3]))).toEqual([""]);
    expect(paths(Buffer.from([1, 2]), Buffer.from([1, 2]))).toEqual([]);
  });

  it("compares Dates by time, and a Date is not its ISO string", () => {
    expect(paths(new Date(1000), new Date(1000))).toEqual([]);
    expect(paths(new Date(1000), new Date(2000))).toEqual([""]);
    expect(paths(new Date(1000), new Date(1000).toISOString())).toEqual([""]);
  });

  it("compares errors by class, name, message, own keys and response status", () => {
    expect(paths(new Error("x"), new TypeError("x"))).toEqual([""]);
    expect(paths(new Error("x"), new Error("y"))).toEqual(["message"]);
    const rest = (code: string, status: number) => new RestError("m", { code, statusCode: status });
    expect(paths(rest("A", 404), rest("B", 404))).toEqual(["code"]);
    expect(paths(rest("A", 404), rest("A", 409))).toEqual(["statusCode"]);
  });

  it("compares arrays in order, and the extra properties of an array (a page's continuationToken)", () => {
    expect(paths([1, 2], [2, 1])).toEqual(["[0]", "[1]"]);
    expect(paths([1], [1, 2])).toEqual(["[1]"]);
    expect(paths([1], Object.assign([1], { continuationToken: "t" }))).toEqual(["continuationToken"]);
  });

  it("does not compare the prototype of a record: a class instance equals a plain object with its own keys", () => {
    class Model {
      constructor(readonly name: string) {}
    }
    expect(paths({ name: "k" }, new Model("k"))).toEqual([]);
  });
});

describe("expectSame", () => {
  it("passes on named differences only, and only when they are real and ours holds the value named", () => {
    expectSame({ a: 1, b: 2 }, { a: 1, b: 3 }, { b: 3 });
    expectSame({ a: 1 }, { a: 1, extra: true }, { extra: true });
    expectSame({ a: 1, gone: 1 }, { a: 1 }, { gone: ABSENT });
    expect(() => expectSame({ a: 1 }, { a: 2 })).toThrow(/does not name/);
    expect(() => expectSame({ a: 1 }, { a: 1 }, { a: 1 })).toThrow(/is not a difference/);
    expect(() => expectSame({ a: 1 }, { a: 2 }, { a: 3 })).toThrow(/ours at "a"/);
  });
});
