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

const clockTime = /([01]\d|2[0-3]):[0-5]\d/;
const quietHours = z
  .string()
  .trim()
  .regex(new RegExp(`^${clockTime.source}-${clockTime.source}$`), { error: 'expected a local time range HH:MM-HH:MM, e.g. 21:00-08:00' })
  .refine((value) => value.slice(0, 5) !== value.slice(6), { error: 'expected a range whose start and end differ' });

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
  HOST: z.string().trim().min(1).optional(),
  PORT: port.default(3000),
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'expected an absolute http(s) URL' }).optional(),
  DATABASE_URL: postgresUrl.optional(),
  PLINTH_SECRET: z.string().trim().min(32, { error: 'expected at least 32 characters of random text' }).optional(),
  DB_POOL_MAX: positiveInt(200).default(10),
  PLINTH_DATA_DIR: z.string().trim().min(1).default('./data'),
  BACKUP_DIR: z.string().trim().optional(),
  AUDIT_SIGNING_KEY_FILE: z.string().trim().optional(),
  PLINTH_EDITIONS: editionList.optional(),
  PLINTH_DEMO: booleanFlag.default(false),
  PLINTH_CHECK_EVENTS: booleanFlag.optional(),
  PLINTH_MODE: z.enum(['hosted', 'single']).default('hosted'),
  PLINTH_LAN: booleanFlag.default(false),
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
  RESPONSE_VALIDATION: booleanFlag.optional(),
  SESSION_IDLE_MINUTES: positiveInt(7 * 24 * 60).default(30),
  SESSION_ABSOLUTE_HOURS: positiveInt(24 * 90).default(12),
  SESSION_MAX_CONCURRENT: digits.pipe(z.coerce.number<string>().max(1000, { error: 'expected a whole number between 0 and 1000' })).default(0),
  SESSION_LIMIT_ACTION: z.enum(['end_oldest', 'refuse_new']).default('end_oldest'),
  PASSWORD_MIN_LENGTH: positiveInt(128).default(12),
  BODY_LIMIT_BYTES: positiveInt(50 * 1024 * 1024).default(1024 * 1024),
  ATTACHMENT_STORAGE: z.enum(['disk', 's3']).default('disk'),
  ATTACHMENT_MAX_BYTES: positiveInt(100 * 1024 * 1024).default(10 * 1024 * 1024),
  S3_ENDPOINT: z.url({ protocol: /^https?$/, error: 'expected the http(s) URL of the S3-compatible service, e.g. https://s3.eu-central-1.amazonaws.com' }).optional(),
  S3_REGION: z.string().trim().regex(/^[a-z0-9-]+$/, { error: 'expected a region name, e.g. eu-central-1' }).default('us-east-1'),
  S3_BUCKET: z.string().trim().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: 'expected an S3 bucket name (3-63 lower-case letters, digits, dots, hyphens)' }).optional(),
  S3_ACCESS_KEY_ID: z.string().trim().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().trim().min(1).optional(),
  S3_FORCE_PATH_STYLE: booleanFlag.default(true),
  SHUTDOWN_TIMEOUT_MS: positiveInt(120_000).default(10_000),
  OTEL_TRACING: booleanFlag.default(false),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url({ protocol: /^https?$/, error: 'expected the OTLP/HTTP traces URL, e.g. http://collector:4318/v1/traces' }).optional(),
  OTEL_SERVICE_NAME: z.string().trim().min(1).max(100).default('plinth'),
  STRIPE_WEBHOOK_SECRET: z.string().trim().startsWith('whsec_', { error: "expected Stripe's webhook signing secret (whsec_…)" }).optional(),
  SQUARE_WEBHOOK_SIGNATURE_KEY: z.string().trim().min(8).optional(),
  SQUARE_WEBHOOK_URL: z.url({ protocol: /^https?$/, error: 'expected the absolute URL Square posts to' }).optional(),
  WEBHOOK_TOLERANCE_SECONDS: positiveInt(3600).default(300),
  SQUARE_WEBHOOK_MAX_AGE_HOURS: positiveInt(24 * 30).default(72),
  METRICS_TOKEN: z.string().trim().min(32, { error: 'expected at least 32 characters of random text' }).optional(),
  NOTIFY_EMAIL_TRANSPORT: z.enum(['smtp', 'file']).default('file'),
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'expected an smtp:// or smtps:// URL' }).optional(),
  NOTIFY_FROM: z.string().trim().min(3).default('Plinth <no-reply@localhost>'),
  NOTIFY_SMS_TRANSPORT: z.enum(['file', 'twilio']).default('file'),
  TWILIO_ACCOUNT_SID: z.string().trim().regex(/^AC[0-9a-fA-F]{32}$/, { error: 'expected a Twilio Account SID (AC followed by 32 hex digits)' }).optional(),
  TWILIO_AUTH_TOKEN: z.string().trim().min(16, { error: 'expected the Twilio auth token' }).optional(),
  TWILIO_FROM: z.string().trim().regex(/^\+[1-9]\d{6,14}$/, { error: 'expected the sending number in E.164 form, e.g. +15017122661' }).optional(),
  TWILIO_MESSAGING_SERVICE_SID: z.string().trim().regex(/^MG[0-9a-fA-F]{32}$/, { error: 'expected a Messaging Service SID (MG followed by 32 hex digits)' }).optional(),
  TWILIO_API_BASE_URL: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL such as https://api.twilio.com' }).default('https://api.twilio.com'),
  NOTIFY_QUIET_HOURS: quietHours.default('21:00-08:00'),
  REALTIME_ADAPTER: z.enum(['postgres', 'redis']).default('postgres'),
  REDIS_URL: z
    .string()
    .trim()
    .regex(/^rediss?:\/\/.+/, { error: 'expected a redis:// or rediss:// connection URL' })
    .optional(),
  REALTIME_HEARTBEAT_MS: positiveInt(600_000).default(30_000),
  REALTIME_REPLAY_EVENTS: positiveInt(10_000).default(100),
  REALTIME_MAX_BUFFERED_BYTES: positiveInt(64 * 1024 * 1024).default(1024 * 1024),
  REALTIME_RECHECK_MS: positiveInt(3_600_000).default(60_000),
});

export type ConfigInput = z.input<typeof configSchema>;
export type RawConfig = z.output<typeof configSchema>;
