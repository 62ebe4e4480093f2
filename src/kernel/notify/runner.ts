import pg from 'pg';
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

export interface NotifyRunnerInput {
  /** The app pool (its connections run as the app role): each delivery's tenant transactions. */
  db: Db;
  /**
   * The owner's connection string (as the jobs runtime's `url`): the cross-tenant claim
   * (notify_claim_due) is granted to the owner login only, never to the app role. Default: the
   * app pool's own login without its switch to the app role (the same credentials). The runner
   * opens one connection of its own with it and closes it on stop.
   */
  ownerUrl?: string;
  providers: NotifyProviders;
  options: DeliverOptions;
  intervalMs?: number;
  log?: Pick<Logger, 'error'>;
}

/**
 * Calls deliverDue every `intervalMs` until stopped; passes never overlap in this process, and
 * runners in other processes never send the same delivery (the claim). A stop-gap until the job
 * system schedules deliverDue; the app starts it, this module does not.
 */
export function startNotifyRunner(input: NotifyRunnerInput): NotifyRunner {
  const { db, providers, options } = input;
  // drizzle keeps the pool it was made with as $client (not in our Db type).
  const appPool = (db as unknown as { $client?: pg.Pool }).$client;
  const ownerUrl = input.ownerUrl ?? (appPool instanceof pg.Pool ? appPool.options.connectionString : undefined);
  if (!ownerUrl) throw new Error('The notification runner needs the owner connection string (ownerUrl).');
  const owner = new pg.Pool({ connectionString: ownerUrl, max: 1, application_name: 'plinth-notify' });
  owner.on('error', (error) => input.log?.error({ err: error }, 'idle notify connection lost'));
  let running: Promise<DeliverReport | undefined> | undefined;
  let stopped = false;
  const tick = () => {
    running ??= deliverDue({ db, owner }, providers, new Date(), options)
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
      await Promise.all([providers.email.close?.(), providers.sms.close?.(), owner.end()]);
    },
  };
}
