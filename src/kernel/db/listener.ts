import pgListen from 'pg-listen';
import type { Logger } from '../observability/logger.ts';

export interface NotificationListener {
  close(): Promise<void>;
}

export interface ListenOptions {
  connectionString: string;
  channels: readonly string[];
  log: Logger;
  /** Called with each notification's raw payload (text; empty when NOTIFY carried none). */
  onNotification(channel: string, payload: string): void;
  /** Called after the connection dropped and came back: notifications sent meanwhile are lost. */
  onReconnect?(): void;
  applicationName?: string;
}

/**
 * LISTENs on one dedicated connection (pg-listen: re-connects with back-off and re-LISTENs after a
 * drop, and pings the connection so a silently dead one is noticed). It keeps retrying for as long
 * as the process lives: a database restart must not leave a listener deaf.
 */
export async function listen(options: ListenOptions): Promise<NotificationListener> {
  // pg-listen is CommonJS with an `exports.default`: ESM sees that under `.default`.
  const subscriber = pgListen.default(
    { connectionString: options.connectionString, application_name: options.applicationName ?? 'plinth-listen' },
    {
      parse: (payload: string) => payload,
      retryTimeout: Number.POSITIVE_INFINITY,
      retryInterval: (attempt) => Math.min(500 * 2 ** attempt, 10_000),
      paranoidChecking: 30_000,
    },
  );
  let reconnecting = false;
  subscriber.events.on('notification', ({ channel, payload }) => options.onNotification(channel, typeof payload === 'string' ? payload : ''));
  subscriber.events.on('reconnect', (attempt) => {
    if (attempt === 1) options.log.warn({ channels: options.channels }, 'LISTEN connection lost; reconnecting');
    reconnecting = true;
  });
  subscriber.events.on('connected', () => {
    if (!reconnecting) return;
    reconnecting = false;
    options.onReconnect?.();
  });
  subscriber.events.on('error', (error) => options.log.warn({ err: error, channels: options.channels }, 'LISTEN connection error'));
  await subscriber.connect();
  try {
    for (const channel of options.channels) await subscriber.listenTo(channel);
  } catch (error) {
    await subscriber.close();
    throw error;
  }
  return { close: () => subscriber.close() };
}
