import pg from 'pg';
import type { Logger } from '../observability/logger.ts';

/** What a PostgreSQL channel's subscriber is told. */
export interface ChannelHandler {
  notification(payload: string): void;
  /**
   * The listening connection came back after a drop: notifications sent meanwhile are gone.
   * Runs after LISTEN is active again, so what it reads from the database is not missed after.
   */
  reconnected?(): Promise<void> | void;
}

/**
 * One dedicated LISTEN connection for several channels (realtime shares one between its bus,
 * revocation notices and commit relay; the jobs dispatcher has its own for outbox wake-ups).
 */
export interface PgListener {
  /** Registers a channel; call before start. */
  listen(channel: string, handler: ChannelHandler): void;
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A client outside any pool that stays open, LISTENs on every registered channel and reconnects
 * with back-off (re-LISTENing, then telling each handler). Hand-written rather than pg-listen
 * (1.7, unmaintained since 2021): its close() during a reconnect ends the already-dead client and
 * never resolves, and its reconnect loop goes on after close — both hit by a database restart.
 */
export function createPgListener(options: {
  /** Where to connect (a pool's `options` will do). */
  connection: pg.ClientConfig;
  /** Names the connection in pg_stat_activity (tests find and terminate it by this). */
  applicationName: string;
  log: Logger;
}): PgListener {
  const { connection, applicationName, log } = options;
  const handlers = new Map<string, ChannelHandler>();
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  async function connect(): Promise<void> {
    const next = new pg.Client({ ...connection, application_name: applicationName });
    next.on('notification', (notification) => {
      const handler = handlers.get(notification.channel);
      if (!handler) return;
      try {
        handler.notification(notification.payload ?? '');
      } catch (error) {
        log.warn({ err: error, channel: notification.channel }, 'LISTEN: unreadable notification ignored');
      }
    });
    next.on('error', (error) => {
      log.warn({ err: error }, 'LISTEN connection lost; reconnecting');
      void next.end().catch(() => undefined);
      if (client === next) client = undefined;
      scheduleReconnect(500);
    });
    await next.connect();
    for (const channel of handlers.keys()) await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    if (closed) {
      await next.end();
      return;
    }
    client = next;
  }

  function scheduleReconnect(delayMs: number): void {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect()
        .then(async () => {
          for (const handler of handlers.values()) await handler.reconnected?.();
        })
        .catch((error: unknown) => {
          log.warn({ err: error }, 'could not LISTEN; retrying');
          scheduleReconnect(Math.min(delayMs * 2, 10_000));
        });
    }, delayMs);
  }

  return {
    listen(channel, handler) {
      if (client) throw new Error(`LISTEN ${channel} registered after start`);
      handlers.set(channel, handler);
    },
    start: connect,
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => undefined);
      client = undefined;
    },
  };
}
