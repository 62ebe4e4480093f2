import type { Config } from '../config/index.ts';
import type { Db } from '../db/index.ts';
import type { Logger } from '../observability/logger.ts';
import { deliverDue, type DeliverOptions, type DeliverReport } from './deliver.service.ts';
import { providersFromConfig } from './providers/index.ts';
import type { NotifyProviders } from './providers/port.ts';
import { unsubscribeKey } from './unsubscribe-token.ts';

/** The server's public base URL: PUBLIC_URL, or where it listens. */
export const publicBaseUrl = (config: Pick<Config, 'publicUrl' | 'host' | 'port'>): string => config.publicUrl ?? `http://${config.host}:${config.port}`;

/** Providers and delivery options as the configuration says. */
export function notifySetup(config: Config, rootSecret: Buffer, log?: Logger): { providers: NotifyProviders; options: DeliverOptions } {
  return {
    providers: providersFromConfig(config),
    options: {
      from: config.notify.from,
      quietHours: config.notify.quietHours,
      timeZone: config.notify.timeZone,
      unsubscribe: { key: unsubscribeKey(rootSecret), baseUrl: publicBaseUrl(config) },
      ...(log ? { log } : {}),
    },
  };
}

export interface NotifyRunner {
  /** One pass now (waits for a pass already running instead of overlapping it). */
  tick(): Promise<DeliverReport | undefined>;
  /** Stops the timer, waits for the pass in progress and closes the providers. */
  stop(): Promise<void>;
}

/**
 * Calls deliverDue every `intervalMs` until stopped; passes never overlap. A stop-gap until the
 * job system schedules deliverDue; the app starts it, this module does not.
 */
export function startNotifyRunner(input: { db: Db; providers: NotifyProviders; options: DeliverOptions; intervalMs?: number; log?: Pick<Logger, 'error'> }): NotifyRunner {
  const { db, providers, options } = input;
  let running: Promise<DeliverReport | undefined> | undefined;
  let stopped = false;
  const tick = () => {
    running ??= deliverDue(db, providers, new Date(), options)
      .catch((error: unknown) => {
        input.log?.error({ err: error }, 'notification delivery pass failed');
        return undefined;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(() => void tick(), input.intervalMs ?? 5_000);
  timer.unref();
  return {
    tick,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await running;
      await Promise.all([providers.email.close?.(), providers.sms.close?.()]);
    },
  };
}
