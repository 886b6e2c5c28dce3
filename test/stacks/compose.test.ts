/**
 * Composition without silent loss (issue 10): the shared platform and an environment's own
 * entries merge; a key both define is a problem naming both parts, unless override(...) says so.
 */
import { compose, override } from "../../stacks/compose";
import { parseEnvironment } from "../../stacks/environment-validation";
import { dev } from "../fixtures/environments/dev";
import { problemsOf } from "../support/environments";

// A platform part and an environment part, from the fixture (split the way the examples are).
const { volumes, targetGroups, helm, platform: platformFields, ...own } = structuredClone(dev) as Record<string, any>;
const shared = { volumes, targetGroups, helm, platform: platformFields };
const pgData = { availabilityZone: "ap-northeast-1a", sizeGiB: 50, claim: { namespace: "db", name: "pg-data" } };

test("an environment's own volume is added beside the platform's, in either order", () => {
  for (const parts of [
    { platform: shared, dev: { ...own, volumes: { "pg-data": pgData } } },
    { dev: { ...own, volumes: { "pg-data": pgData } }, platform: shared },
  ]) {
    const env = parseEnvironment(compose(parts));
    expect(Object.keys(env.volumes).sort()).toEqual(["loki-data", "pg-data"]);
  }
});

test("a key both parts define is a problem naming both parts, not a silent replacement", () => {
  const env = compose({ platform: shared, dev: { ...own, volumes: { "loki-data": { ...pgData, claim: { namespace: "monitoring", name: "loki-data" } } } } });
  expect(problemsOf(env)).toEqual([
    `dev: volumes.loki-data: is set by both "platform" and "dev" (keep one, rename one of the keys, or wrap the later one in override(...) to replace it deliberately)`,
  ]);
});

test("a field both parts set (a scalar) is a problem too", () => {
  const env = compose({ platform: { ...shared, rolloutWave: 2 }, dev: own });
  expect(problemsOf(env)).toEqual([`dev: rolloutWave: is set by both "platform" and "dev" (keep one, rename one of the keys, or wrap the later one in override(...) to replace it deliberately)`]);
});

test("override(...) replaces deliberately", () => {
  const replaced = { ...pgData, sizeGiB: 300, claim: { namespace: "monitoring", name: "loki-data" } };
  const env = parseEnvironment(compose({ platform: shared, dev: { ...own, volumes: { "loki-data": override(replaced) } } }));
  expect(env.volumes["loki-data"].sizeGiB).toBe(300);
});

test("nested objects merge field by field (platform.ingress from one part, platform.storageClass from another)", () => {
  const env = parseEnvironment(compose({ platform: shared, dev: { ...own, platform: { storageClass: { name: "fast", reclaimPolicy: "Retain" } } } }));
  expect(env.platform).toMatchObject({ ingress: { className: "alb" }, storageClass: { name: "fast", reclaimPolicy: "Retain" } });
});

test("compose does not change what a part passed in (inputs are copied)", () => {
  const before = JSON.stringify(shared);
  compose({ platform: shared, dev: { ...own, volumes: { "pg-data": pgData } } });
  expect(JSON.stringify(shared)).toBe(before);
});
