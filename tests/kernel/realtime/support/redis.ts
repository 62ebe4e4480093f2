import type { TestContext } from 'node:test';
import { Redis } from 'ioredis';

export const REDIS_URL = 'redis://127.0.0.1:6379';

/** Whether Redis answers at REDIS_URL. */
async function redisAnswers(): Promise<boolean> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/**
 * Whether a Redis variant can run. Without Redis it is skipped, saying so; with
 * PLINTH_TEST_REQUIRE_REDIS=1 (set by .ci/run, which starts Redis) it fails instead, so CI
 * never passes without having exercised the Redis adapter.
 */
export async function redisOrSkip(context: TestContext): Promise<boolean> {
  if (await redisAnswers()) return true;
  const absent = `Redis does not answer at ${REDIS_URL}`;
  if (process.env.PLINTH_TEST_REQUIRE_REDIS === '1') throw new Error(`${absent}, and PLINTH_TEST_REQUIRE_REDIS=1 requires it`);
  context.skip(`${absent}; the Redis adapter was not exercised`);
  return false;
}
