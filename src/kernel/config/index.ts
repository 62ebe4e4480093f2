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
  /** Where tenant backup files are written and read (BACKUP_DIR, default PLINTH_DATA_DIR/backups). */
  backupDir: string;
  /**
   * The Ed25519 private key that signs audit checkpoints (AUDIT_SIGNING_KEY_FILE, default
   * PLINTH_DATA_DIR/audit-signing-key.pem), kept outside the database; the checkpoint log sits beside it.
   */
  auditSigningKeyFile: string;
  /** Edition ids to serve; undefined means every edition the build knows. In single mode exactly one (default onprem). */
  editions: string[] | undefined;
  /**
   * hosted: many businesses, the platform console, sign-up and SaaS billing. single: one business on
   * its own machine (the on-premises install), created by the first-run setup; no console, sign-up or billing.
   */
  mode: RawConfig['PLINTH_MODE'];
  /** Single mode: the server was asked to listen beyond this machine (PLINTH_LAN), so the banner says what to open in the firewall. */
  lan: boolean;
  demo: boolean;
  /** emit checks each payload against its event's schema (PLINTH_CHECK_EVENTS, default on under NODE_ENV=test only: it costs the hot path). */
  checkEvents: boolean;
  logLevel: RawConfig['LOG_LEVEL'];
  /** Proxies whose X-Forwarded-For is believed; the client IP is never taken from anyone else. */
  trustedProxies: string[] | undefined;
  rateLimitPerMinute: { read: number; write: number; auth: number };
  /** Whether every API response is checked against its schema before it leaves (off in production: a compiled serializer writes it). */
  responseValidation: boolean;
  /** Browser sessions: idle and absolute lifetimes, and how many one person may hold at once (0: no limit) and what a sign-in beyond that does. */
  session: { idleMinutes: number; absoluteHours: number; maxConcurrent: number; limitAction: RawConfig['SESSION_LIMIT_ACTION'] };
  passwordMinLength: number;
  bodyLimitBytes: number;
  /** Files uploaded with support tickets: where their bytes live (PLINTH_DATA_DIR/attachments, or an S3-compatible bucket) and the largest accepted. */
  attachments: {
    storage: RawConfig['ATTACHMENT_STORAGE'];
    maxBytes: number;
    s3: { endpoint: string; region: string; bucket: string; accessKeyId: string; secretAccessKey: string; forcePathStyle: boolean } | undefined;
  };
  shutdownTimeoutMs: number;
  /** OpenTelemetry tracing of requests, exported over OTLP/HTTP; off by default. */
  tracing: { enabled: boolean; endpoint: string | undefined; serviceName: string };
  /** Provider webhooks this installation verifies; a provider without its secret is not served. */
  webhooks: {
    toleranceSeconds: number;
    stripe: { secret: string } | undefined;
    square: { signatureKey: string; notificationUrl: string; maxAgeSeconds: number } | undefined;
  };
  /** Bearer token Prometheus presents at /metrics; without it only this machine may scrape. */
  metricsToken: string | undefined;
  /** Notifications: how email and SMS leave, the sender, and the default quiet hours for SMS. */
  notify: {
    emailTransport: RawConfig['NOTIFY_EMAIL_TRANSPORT'];
    smtpUrl: string | undefined;
    from: string;
    smsTransport: RawConfig['NOTIFY_SMS_TRANSPORT'];
    /** Twilio's Messaging API, when NOTIFY_SMS_TRANSPORT=twilio: the account, and a number or a Messaging Service to send from. */
    twilio: { accountSid: string; authToken: string; from: string | undefined; messagingServiceSid: string | undefined; apiBaseUrl: string } | undefined;
    /** Local `HH:MM-HH:MM` in the recipient's time zone; tenants may set their own. */
    quietHours: string;
  };
  /** WebSocket gateway: cross-node fan-out (PostgreSQL LISTEN/NOTIFY or Redis), heartbeat, replay and back-pressure limits. */
  realtime: { adapter: RawConfig['REALTIME_ADAPTER']; redisUrl: string | undefined; heartbeatMs: number; replayEvents: number; maxBufferedBytes: number; recheckMs: number };
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

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Single mode listens on this machine only unless PLINTH_LAN says otherwise (then on every
 * interface by default), and serves one edition (onprem unless PLINTH_EDITIONS names another).
 */
function singleModeChecks(raw: RawConfig): { host: string; editions: string[] | undefined } {
  if (raw.PLINTH_MODE !== 'single') {
    if (raw.PLINTH_LAN) throw new ConfigError([{ variable: 'PLINTH_LAN', message: 'only applies when PLINTH_MODE=single' }]);
    return { host: raw.HOST ?? '127.0.0.1', editions: raw.PLINTH_EDITIONS };
  }
  if (raw.HOST && !LOOPBACK_HOSTS.has(raw.HOST) && !raw.PLINTH_LAN)
    throw new ConfigError([{ variable: 'HOST', message: `${raw.HOST} is reachable from other machines; set PLINTH_LAN=true to serve the local network on purpose` }]);
  const editions = raw.PLINTH_EDITIONS ?? ['onprem'];
  if (editions.length !== 1) throw new ConfigError([{ variable: 'PLINTH_EDITIONS', message: 'PLINTH_MODE=single serves exactly one edition, e.g. onprem' }]);
  return { host: raw.HOST ?? (raw.PLINTH_LAN ? '0.0.0.0' : '127.0.0.1'), editions };
}

/**
 * The only reader of process.env. Empty strings count as unset so that
 * `VAR=` in a shell or .env file falls back to the default.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.keys(configSchema.shape);
  const input = Object.fromEntries(known.map((key) => [key, env[key] === '' ? undefined : env[key]]));
  const parsed = configSchema.safeParse(input);
  // Square signs the URL it posts to: its key is useless without that URL, and the reverse.
  if (parsed.success && Boolean(parsed.data.SQUARE_WEBHOOK_SIGNATURE_KEY) !== Boolean(parsed.data.SQUARE_WEBHOOK_URL))
    throw new ConfigError([{ variable: parsed.data.SQUARE_WEBHOOK_URL ? 'SQUARE_WEBHOOK_SIGNATURE_KEY' : 'SQUARE_WEBHOOK_URL', message: 'set SQUARE_WEBHOOK_SIGNATURE_KEY and SQUARE_WEBHOOK_URL together' }]);
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
  const single = singleModeChecks(raw);
  if (raw.REALTIME_ADAPTER === 'redis' && !raw.REDIS_URL)
    throw new ConfigError([{ variable: 'REDIS_URL', message: 'required when REALTIME_ADAPTER=redis' }]);
  // S3 attachment storage needs its endpoint, bucket and keys together.
  if (raw.ATTACHMENT_STORAGE === 's3') {
    const missing = (['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const).filter((variable) => !raw[variable]);
    if (missing.length > 0) throw new ConfigError(missing.map((variable) => ({ variable, message: 'required when ATTACHMENT_STORAGE=s3' })));
  }
  // Twilio needs its account and a sender (a number or a Messaging Service) together.
  if (raw.NOTIFY_SMS_TRANSPORT === 'twilio') {
    const required = 'required when NOTIFY_SMS_TRANSPORT=twilio';
    const problems = [
      ...(raw.TWILIO_ACCOUNT_SID ? [] : [{ variable: 'TWILIO_ACCOUNT_SID', message: required }]),
      ...(raw.TWILIO_AUTH_TOKEN ? [] : [{ variable: 'TWILIO_AUTH_TOKEN', message: required }]),
      ...(raw.TWILIO_FROM || raw.TWILIO_MESSAGING_SERVICE_SID ? [] : [{ variable: 'TWILIO_FROM', message: `${required} (or TWILIO_MESSAGING_SERVICE_SID)` }]),
    ];
    if (problems.length > 0) throw new ConfigError(problems);
  }
  return {
    env: raw.NODE_ENV,
    host: single.host,
    port: raw.PORT,
    publicUrl: raw.PUBLIC_URL,
    databaseUrl: raw.DATABASE_URL,
    secret: raw.PLINTH_SECRET,
    dbPoolMax: raw.DB_POOL_MAX,
    dataDir: path.resolve(raw.PLINTH_DATA_DIR),
    backupDir: path.resolve(raw.BACKUP_DIR || path.join(raw.PLINTH_DATA_DIR, 'backups')),
    auditSigningKeyFile: path.resolve(raw.AUDIT_SIGNING_KEY_FILE || path.join(raw.PLINTH_DATA_DIR, 'audit-signing-key.pem')),
    editions: single.editions,
    mode: raw.PLINTH_MODE,
    lan: raw.PLINTH_MODE === 'single' && raw.PLINTH_LAN,
    demo: raw.PLINTH_DEMO,
    checkEvents: raw.PLINTH_CHECK_EVENTS ?? raw.NODE_ENV === 'test',
    logLevel: raw.LOG_LEVEL,
    trustedProxies: raw.TRUSTED_PROXIES,
    rateLimitPerMinute: { read: raw.RATE_LIMIT_READ_PER_MIN, write: raw.RATE_LIMIT_WRITE_PER_MIN, auth: raw.RATE_LIMIT_AUTH_PER_MIN },
    responseValidation: raw.RESPONSE_VALIDATION ?? raw.NODE_ENV !== 'production',
    session: { idleMinutes: raw.SESSION_IDLE_MINUTES, absoluteHours: raw.SESSION_ABSOLUTE_HOURS, maxConcurrent: raw.SESSION_MAX_CONCURRENT, limitAction: raw.SESSION_LIMIT_ACTION },
    passwordMinLength: raw.PASSWORD_MIN_LENGTH,
    bodyLimitBytes: raw.BODY_LIMIT_BYTES,
    attachments: {
      storage: raw.ATTACHMENT_STORAGE,
      maxBytes: raw.ATTACHMENT_MAX_BYTES,
      s3:
        raw.S3_ENDPOINT && raw.S3_BUCKET && raw.S3_ACCESS_KEY_ID && raw.S3_SECRET_ACCESS_KEY
          ? {
              endpoint: raw.S3_ENDPOINT.replace(/\/+$/, ''),
              region: raw.S3_REGION,
              bucket: raw.S3_BUCKET,
              accessKeyId: raw.S3_ACCESS_KEY_ID,
              secretAccessKey: raw.S3_SECRET_ACCESS_KEY,
              forcePathStyle: raw.S3_FORCE_PATH_STYLE,
            }
          : undefined,
    },
    shutdownTimeoutMs: raw.SHUTDOWN_TIMEOUT_MS,
    tracing: { enabled: raw.OTEL_TRACING, endpoint: raw.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, serviceName: raw.OTEL_SERVICE_NAME },
    webhooks: {
      toleranceSeconds: raw.WEBHOOK_TOLERANCE_SECONDS,
      stripe: raw.STRIPE_WEBHOOK_SECRET ? { secret: raw.STRIPE_WEBHOOK_SECRET } : undefined,
      square:
        raw.SQUARE_WEBHOOK_SIGNATURE_KEY && raw.SQUARE_WEBHOOK_URL
          ? { signatureKey: raw.SQUARE_WEBHOOK_SIGNATURE_KEY, notificationUrl: raw.SQUARE_WEBHOOK_URL, maxAgeSeconds: raw.SQUARE_WEBHOOK_MAX_AGE_HOURS * 3600 }
          : undefined,
    },
    metricsToken: raw.METRICS_TOKEN,
    notify: {
      emailTransport: raw.NOTIFY_EMAIL_TRANSPORT,
      smtpUrl: raw.SMTP_URL,
      from: raw.NOTIFY_FROM,
      smsTransport: raw.NOTIFY_SMS_TRANSPORT,
      twilio:
        raw.NOTIFY_SMS_TRANSPORT === 'twilio' && raw.TWILIO_ACCOUNT_SID && raw.TWILIO_AUTH_TOKEN
          ? {
              accountSid: raw.TWILIO_ACCOUNT_SID,
              authToken: raw.TWILIO_AUTH_TOKEN,
              from: raw.TWILIO_FROM,
              messagingServiceSid: raw.TWILIO_MESSAGING_SERVICE_SID,
              apiBaseUrl: raw.TWILIO_API_BASE_URL.replace(/\/+$/, ''),
            }
          : undefined,
      quietHours: raw.NOTIFY_QUIET_HOURS,
    },
    realtime: {
      adapter: raw.REALTIME_ADAPTER,
      redisUrl: raw.REDIS_URL,
      heartbeatMs: raw.REALTIME_HEARTBEAT_MS,
      replayEvents: raw.REALTIME_REPLAY_EVENTS,
      maxBufferedBytes: raw.REALTIME_MAX_BUFFERED_BYTES,
      recheckMs: raw.REALTIME_RECHECK_MS,
    },
  };
}
