/*
 * The one timer that watches an HTTP client's request deadlines: each deadline fires once, after its
 * timeout and within an eighth more; a cancelled one never fires; the timer stops when idle.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { Deadlines } from "../../src/http/deadlines.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("Deadlines", () => {
  it("fires each deadline once, between its timeout and an eighth more", async () => {
    vi.useFakeTimers();
    const deadlines = new Deadlines();
    const fired: Array<[string, number]> = [];
    const start = Date.now();
    deadlines.watch(800, () => fired.push(["long", Date.now() - start]));
    deadlines.watch(200, () => fired.push(["short", Date.now() - start]));
    await vi.advanceTimersByTimeAsync(2000);
    expect(fired.map(([name]) => name)).toEqual(["short", "long"]);
    const [[, short], [, long]] = fired as [[string, number], [string, number]];
    expect(short).toBeGreaterThanOrEqual(200);
    expect(short).toBeLessThanOrEqual(200 + 25);
    expect(long).toBeGreaterThanOrEqual(800);
    expect(long).toBeLessThanOrEqual(800 + 100);
  });

  it("never fires a cancelled deadline, and stops its timer once nothing is left to watch", async () => {
    vi.useFakeTimers();
    const deadlines = new Deadlines();
    const onExpired = vi.fn();
    const deadline = deadlines.watch(100, onExpired);
    deadlines.cancel(deadline);
    await vi.advanceTimersByTimeAsync(1000);
    expect(onExpired).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("keeps one timer for many deadlines", () => {
    vi.useFakeTimers();
    const deadlines = new Deadlines();
    for (let i = 0; i < 100; i++) deadlines.watch(120_000, () => undefined);
    expect(vi.getTimerCount()).toBe(1);
  });
});
