import path from 'node:path';
import { configSchema, type RawConfig } from './schema.ts';

export interface Config {
  env: RawConfig['NODE_ENV'];
  host: string;
  port: number;
  publicUrl: string | undefined;
  databaseUrl: string | undefined;
  /** Root secret for signing and encryption keys; generated into dataDir outside production. */
  secret: string | undefined;
  dbPoolMax: number;
  dataDir: string;
  /** Edition ids to serve; undefined means every edition the build knows. */
  editions: string[] | undefined;
  demo: boolean;
  logLevel: RawConfig['LOG_LEVEL'];
  /** Proxies whose X-Forwarded-For is believed; the client IP is never taken from anyone else. */
  trustedProxies: string[] | undefined;
  rateLimitPerMinute: { read: number; write: number; auth: number };
  session: { idleMinutes: number; absoluteHours: number };
  passwordMinLength: number;
  bodyLimitBytes: number;
  shutdownTimeoutMs: number;
  /** Bearer token Prometheus presents at /metrics; without it only this machine may scrape. */
  metricsToken: string | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}\n` +
        'See .env.example for every variable and its expected form.',
    );
    this.name = 'ConfigError';
  }
}

/**
 * The only reader of process.env. Empty strings count as unset so that
 * `VAR=` in a shell or .env file falls back to the default.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.keys(configSchema.shape);
  const input = Object.fromEntries(known.map((key) => [key, env[key] === '' ? undefined : env[key]]));
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const variable = String(issue.path[0] ?? '(unknown)');
        const received = input[variable];
        return {
          variable,
          message: received === undefined ? issue.message : `${issue.message} (got ${JSON.stringify(received)})`,
        };
      }),
    );
  }
  const raw = parsed.data;
  return {
    env: raw.NODE_ENV,
    host: raw.HOST,
    port: raw.PORT,
    publicUrl: raw.PUBLIC_URL,
    databaseUrl: raw.DATABASE_URL,
    secret: raw.PLINTH_SECRET,
    dbPoolMax: raw.DB_POOL_MAX,
    dataDir: path.resolve(raw.PLINTH_DATA_DIR),
    editions: raw.PLINTH_EDITIONS,
    demo: raw.PLINTH_DEMO,
    logLevel: raw.LOG_LEVEL,
    trustedProxies: raw.TRUSTED_PROXIES,
    rateLimitPerMinute: { read: raw.RATE_LIMIT_READ_PER_MIN, write: raw.RATE_LIMIT_WRITE_PER_MIN, auth: raw.RATE_LIMIT_AUTH_PER_MIN },
    session: { idleMinutes: raw.SESSION_IDLE_MINUTES, absoluteHours: raw.SESSION_ABSOLUTE_HOURS },
    passwordMinLength: raw.PASSWORD_MIN_LENGTH,
    bodyLimitBytes: raw.BODY_LIMIT_BYTES,
    shutdownTimeoutMs: raw.SHUTDOWN_TIMEOUT_MS,
    metricsToken: raw.METRICS_TOKEN,
  };
}
