import { z } from 'zod';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected one of true, false, 1, 0, yes, no' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** Only plain digits count: coercion alone would read ' ' as 0 and '1e3' as 1000. */
const digits = z.string().trim().regex(/^\d+$/, { error: 'expected a whole number' });

const port = digits.pipe(
  z.coerce
    .number<string>()
    .min(0, { error: 'expected a port between 0 and 65535' })
    .max(65535, { error: 'expected a port between 0 and 65535' }),
);

const positiveInt = (max: number) =>
  digits.pipe(
    z.coerce
      .number<string>()
      .min(1, { error: `expected a whole number between 1 and ${max}` })
      .max(max, { error: `expected a whole number between 1 and ${max}` }),
  );

const postgresUrl = z
  .string()
  .trim()
  .regex(/^postgres(ql)?:\/\/.+/, { error: 'expected a postgres:// or postgresql:// connection URL' });

const editionList = z
  .string()
  .trim()
  .regex(/^[a-z]+(\s*,\s*[a-z]+)*$/, { error: 'expected a comma-separated list of edition names, e.g. retail,cafe' })
  .transform((value) => [...new Set(value.split(',').map((name) => name.trim()))]);

/**
 * Every environment variable Plinth reads. `.env.example` documents each one;
 * a test keeps the two in step.
 */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  PORT: port.default(3000),
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'expected an absolute http(s) URL' }).optional(),
  DATABASE_URL: postgresUrl.optional(),
  PLINTH_SECRET: z.string().trim().min(32, { error: 'expected at least 32 characters of random text' }).optional(),
  DB_POOL_MAX: positiveInt(200).default(10),
  PLINTH_DATA_DIR: z.string().trim().min(1).default('./data'),
  PLINTH_EDITIONS: editionList.optional(),
  PLINTH_DEMO: booleanFlag.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUSTED_PROXIES: z
    .string()
    .trim()
    .regex(/^[0-9a-fA-F:./]+(\s*,\s*[0-9a-fA-F:./]+)*$/, { error: 'expected a comma-separated list of IP addresses or CIDR ranges' })
    .transform((value) => value.split(',').map((entry) => entry.trim()))
    .optional(),
  RATE_LIMIT_READ_PER_MIN: positiveInt(1_000_000).default(600),
  RATE_LIMIT_WRITE_PER_MIN: positiveInt(1_000_000).default(120),
  RATE_LIMIT_AUTH_PER_MIN: positiveInt(1_000_000).default(10),
  SESSION_IDLE_MINUTES: positiveInt(7 * 24 * 60).default(30),
  SESSION_ABSOLUTE_HOURS: positiveInt(24 * 90).default(12),
  PASSWORD_MIN_LENGTH: positiveInt(128).default(12),
  BODY_LIMIT_BYTES: positiveInt(50 * 1024 * 1024).default(1024 * 1024),
  SHUTDOWN_TIMEOUT_MS: positiveInt(120_000).default(10_000),
  METRICS_TOKEN: z.string().trim().min(32, { error: 'expected at least 32 characters of random text' }).optional(),
});

export type ConfigInput = z.input<typeof configSchema>;
export type RawConfig = z.output<typeof configSchema>;
