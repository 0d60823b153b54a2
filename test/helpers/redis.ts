import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";

/**
 * The Redis the queue tests run against: TEST_REDIS_URL, else REDIS_URL, else the local default.
 * Each test run writes under its own throwaway key prefix and deletes it afterwards, so runs (and a
 * developer's own data) never see each other.
 */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/**
 * True when Redis answers. Absent: the caller skips, with this one printed line, unless CI=true
 * (a CI machine without its Redis is broken: fail), or CI_SERVICES_ABSENT names redis (not installed).
 */
export async function redisAvailable(what = "queue tests"): Promise<boolean> {
  // .ci/run lists services it could not start because they are not installed: skip even under CI.
  if ((process.env.CI_SERVICES_ABSENT ?? "").split(/[\s,]+/).includes("redis")) {
    console.warn(`Skipping ${what}: Redis is not installed on this machine (CI_SERVICES_ABSENT).`);
    return false;
  }
  const client = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 1_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch (error) {
    if (process.env.CI === "true")
      throw new Error(`CI=true but Redis is unreachable at ${TEST_REDIS_URL}: ${error}`);
    console.warn(
      `Skipping ${what}: Redis unreachable at ${TEST_REDIS_URL} (set TEST_REDIS_URL or start redis-server).`,
    );
    return false;
  } finally {
    client.disconnect();
  }
}

/** A key prefix no other run uses. */
export function throwawayPrefix(): string {
  return `sib-test-${randomUUID().slice(0, 8)}`;
}

/** Deletes every key under `prefix`. */
export async function dropPrefix(prefix: string): Promise<void> {
  const client = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== "0");
  } finally {
    client.disconnect();
  }
}
