import fastifyWebsocket from '@fastify/websocket';
import type { Config } from '../config/index.ts';
import type { Database } from '../db/index.ts';
import { AppError } from '../errors.ts';
import { CREDENTIALS_CHANGED_CHANNEL } from '../identity/index.ts';
import type { AppInstance, Entitlements } from '../module/index.ts';
import type { Logger } from '../observability/logger.ts';
import { createPostgresBus, createRedisBus, type BusMessage, type RealtimeBus } from './bus.ts';
import { createGateway, type ChannelDefinition, type CredentialChange, type DefinedChannel } from './gateway.ts';
import { createHub } from './hub.ts';
import { createPgListener, type PgListener } from '../db/listener.ts';
import { CHANNEL_NAME } from './protocol.ts';
import type { UnitOfWork } from '../tenancy/unit-of-work.ts';

export { CLOSE_CODES, channelKey, parseChannelKey, parseEventId, type ClientMessage, type ServerMessage } from './protocol.ts';
export type { ChannelDefinition } from './gateway.ts';
export type { RealtimeBus, BusMessage, SequencedMessage, Horizon } from './bus.ts';

/** The gateway's address. */
export const REALTIME_PATH = '/v1/realtime';
/** Largest inbound WebSocket message, in bytes. */
const MAX_INBOUND_BYTES = 64 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What modules use: declare channels, publish to them. */
export interface Realtime {
  /** Declares a channel; its permission must be declared by a module. Call while registering routes. */
  defineChannel(definition: ChannelDefinition): void;
  /**
   * Sends an event to every subscriber of `tenant:<tenantId>:<channel>` on every app process.
   * Publish after the change committed (events describe committed state); the event must be JSON.
   */
  publish(tenantId: string, channel: string, event: unknown): Promise<void>;
  /**
   * Publishes from inside a use case's unit of work: the event is delivered once that transaction
   * commits, and never if it rolls back (a NOTIFY in the transaction; with Redis, relayed to Redis
   * after the commit). Use it when the event describes what the transaction writes. Such events
   * keep their commit order; with Redis a later plain publish() may overtake one still being relayed.
   */
  publishAfterCommit(uow: UnitOfWork<{ tenantId: string }>, channel: string, event: unknown): Promise<void>;
  /** Connected sockets on this process, and how many were dropped as too slow or dead (for metrics and tests). */
  stats(): RealtimeStats;
}

export interface RealtimeStats {
  connections: number;
  slowConsumersDropped: number;
  deadSocketsDropped: number;
  /** Sockets closed because their sign-in was revoked or their access withdrawn. */
  revokedSocketsClosed: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    realtime: Realtime;
  }
}

export interface RealtimeOptions {
  config: Config;
  database: Database;
  logger: Logger;
  /** Every permission the modules declare, with the module declaring it: a channel may only name one of them, and belongs to that module. */
  permissionModules: ReadonlyMap<string, string>;
  /** Which modules a business may use: another module's channels look missing to it. */
  entitlements: Entitlements;
  /** Replaces the configured adapter (tests, benchmarks). */
  bus?: RealtimeBus;
}

function busFor(options: RealtimeOptions, listener: PgListener): RealtimeBus {
  const { realtime } = options.config;
  if (realtime.adapter === 'redis') return createRedisBus({ url: realtime.redisUrl as string, log: options.logger, listener });
  return createPostgresBus({ db: options.database.db, listener, log: options.logger });
}

/** A credential-change notice from identity (see announceCredentialChange); anything else is ignored. */
function credentialChangeOf(payload: string): CredentialChange {
  const parsed = JSON.parse(payload) as { userIds?: unknown; deviceIds?: unknown };
  const ids = (value: unknown) => (Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : []);
  return { userIds: ids(parsed.userIds), deviceIds: ids(parsed.deviceIds) };
}

/**
 * The realtime gateway (`GET /v1/realtime`, WebSocket): the handshake is an ordinary guarded
 * route (credentials, rate limit, and here an Origin check against cross-site handshakes); once
 * open, the connection speaks the protocol in protocol.ts. Published events get an id from the
 * bus's shared sequencer and go through it (PostgreSQL LISTEN/NOTIFY, or Redis) to every app
 * process, which keeps the recent ones and hands them to its subscribers. Each process also
 * LISTENs for identity's credential-change notices, which close the sockets they end at once on
 * every node; a periodic pass re-checks every socket in case a notice was lost.
 * Register before the modules' routes, so they can define channels.
 */
export async function installRealtime(app: AppInstance, options: RealtimeOptions): Promise<void> {
  const { config } = options;
  const channels = new Map<string, DefinedChannel>();
  let slowConsumersDropped = 0;
  const hub = createHub({
    replayEvents: config.realtime.replayEvents,
    maxBufferedBytes: config.realtime.maxBufferedBytes,
    onSlowConsumer: () => {
      slowConsumersDropped++;
      options.logger.warn('realtime: slow consumer disconnected');
    },
  });
  const gateway = createGateway({ db: options.database.db, hub, channels, entitlements: options.entitlements, heartbeatMs: config.realtime.heartbeatMs, recheckMs: config.realtime.recheckMs, log: options.logger });
  const listener = createPgListener({ connection: options.database.pool.options, applicationName: 'plinth-realtime', log: options.logger });
  listener.listen(CREDENTIALS_CHANGED_CHANNEL, {
    notification: (payload) => void gateway.credentialsChanged(credentialChangeOf(payload)),
    // Notices sent while the connection was down are gone: re-check every socket instead.
    reconnected: () => void gateway.recheckAll(),
  });
  const bus = options.bus ?? busFor(options, listener);
  const checkedMessage = (tenantId: string, channel: string, event: unknown): BusMessage => {
    if (!UUID.test(tenantId)) throw new Error(`realtime publish: "${tenantId}" is not a tenant id`);
    if (!channels.has(channel)) throw new Error(`realtime publish: channel "${channel}" is not defined`);
    return { tenantId: tenantId.toLowerCase(), channel, event };
  };

  await app.register(fastifyWebsocket, { options: { maxPayload: MAX_INBOUND_BYTES } });
  app.decorate('realtime', {
    defineChannel(definition) {
      if (!CHANNEL_NAME.test(definition.name)) throw new Error(`realtime channel "${definition.name}": expected dotted lower-case words`);
      if (channels.has(definition.name)) throw new Error(`realtime channel "${definition.name}" is defined twice`);
      const module = options.permissionModules.get(definition.permission);
      if (!module) throw new Error(`realtime channel "${definition.name}": permission ${definition.permission} is declared by no module`);
      channels.set(definition.name, { ...definition, module });
    },
    async publish(tenantId, channel, event) {
      await bus.publish(checkedMessage(tenantId, channel, event));
    },
    async publishAfterCommit(uow, channel, event) {
      await bus.publishInTransaction(uow, checkedMessage(uow.tenantId, channel, event));
    },
    stats: () => ({
      connections: gateway.connectionCount(),
      slowConsumersDropped,
      deadSocketsDropped: gateway.deadSocketsDropped(),
      revokedSocketsClosed: gateway.revokedSocketsClosed(),
    }),
  } satisfies Realtime);

  // A refused handshake (guard hooks throw before the plugin marks the request as a WebSocket one)
  // would leave the upgrade socket open after the error response: close it once answered.
  app.addHook('onResponse', async (request) => {
    if (request.headers.upgrade?.toLowerCase() === 'websocket') request.raw.socket?.destroy();
  });
  app.addHook('onReady', async () => {
    // The bus registers its channels on the listener and starts it (a replacement bus may not).
    hub.begin(await bus.start({ deliver: (message) => hub.deliver(message), lost: (horizon) => hub.lost(horizon) }));
    if (options.bus) await listener.start();
  });
  app.addHook('onClose', async () => {
    gateway.close();
    await bus.close();
    await listener.close();
  });

  app.route({
    method: 'GET',
    url: REALTIME_PATH,
    config: { access: 'authenticated', rateClass: 'read' },
    schema: { hide: true },
    // The guard ran first: credentials, rate limit, authorization and, for a handshake, the Origin.
    // A plain HTTP request (no upgrade) passed the guard but cannot be served here.
    handler: async () => {
      throw new AppError('VALIDATION', 'This address speaks WebSocket; connect with a WebSocket client.', { reason: 'UPGRADE_REQUIRED' }, 426);
    },
    wsHandler: (socket, request) => gateway.accept(socket, request),
  });
}
