/**
 * EKS_SYNTH_THREADS (stacks/synth-threads.ts): how many threads, and how the environments are
 * split among them. That a threaded synth writes the same bytes is test/process/synth.test.ts's.
 */
import { MAX_THREADS, MIN_PER_THREAD, slices, synthThreads } from "../../stacks/synth-threads";

describe("synthThreads", () => {
  test("unset or empty: one thread, whatever the count (opt-in)", () => {
    expect(synthThreads(500, undefined, 8)).toBe(1);
    expect(synthThreads(500, "", 8)).toBe(1);
  });

  test("a number: that many threads, never more than environments nor MAX_THREADS", () => {
    expect(synthThreads(500, "3", 2)).toBe(3);
    expect(synthThreads(500, "25", 64)).toBe(MAX_THREADS);
    expect(synthThreads(2, "4", 8)).toBe(2);
    expect(synthThreads(0, "2", 8)).toBe(1);
  });

  test("auto: one per core, at most MAX_THREADS, each with at least MIN_PER_THREAD environments", () => {
    expect(synthThreads(500, "auto", 2)).toBe(2);
    expect(synthThreads(5000, "auto", 64)).toBe(MAX_THREADS);
    expect(synthThreads(MIN_PER_THREAD * 2 - 1, "auto", 8)).toBe(1);
    expect(synthThreads(MIN_PER_THREAD * 3, "auto", 8)).toBe(3);
  });

  test.each(["0", "-1", "1.5", "two", " 2", "AUTO"])("%j is a problem that says what is allowed", (value) => {
    expect(synthThreads(10, value, 2)).toEqual({
      problem: `${JSON.stringify(value)} is not a number of threads (a whole number ≥ 1, or "auto" for one per core; unset it for one thread)`,
    });
  });
});

describe("slices", () => {
  test.each([
    [10, 3, [4, 3, 3]],
    [2, 2, [1, 1]],
    [5, 1, [5]],
    [3, 4, [1, 1, 1, 0]],
  ])("%i items in %i slices: sizes %j, in order, nothing lost", (count, n, sizes) => {
    const items = Array.from({ length: count }, (_, i) => i);
    const parts = slices(items, n);
    expect(parts.map((p) => p.length)).toEqual(sizes);
    expect(parts.flat()).toEqual(items);
  });
});
