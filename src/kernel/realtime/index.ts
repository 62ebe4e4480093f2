import fastifyWebsocket from '@fastify/websocket';
import type { Config } from '../config/index.ts';
import type { Database } from '../db/index.ts';
import { AppError } from '../http/errors.ts';
import type { AppInstance } from '../module/index.ts';
import type { Logger } from '../observability/logger.ts';
import { createPostgresBus, createRedisBus, type RealtimeBus } from './bus.ts';
import { createGateway, type ChannelDefinition } from './gateway.ts';
import { createHub } from './hub.ts';
import { CHANNEL_NAME } from './protocol.ts';

export { channelKey, parseChannelKey, parseEventId, type ClientMessage, type ServerMessage } from './protocol.ts';
export type { ChannelDefinition } from './gateway.ts';
export type { RealtimeBus, BusMessage } from './bus.ts';

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
  /** Connected sockets on this process, and how many were dropped as too slow or dead (for metrics and tests). */
  stats(): RealtimeStats;
}

export interface RealtimeStats {
  connections: number;
  slowConsumersDropped: number;
  deadSocketsDropped: number;
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
  /** Every permission the modules declare: a channel may only name one of them. */
  permissions: ReadonlySet<string>;
  /** Replaces the configured adapter (tests, benchmarks). */
  bus?: RealtimeBus;
}

function busFor(options: RealtimeOptions): RealtimeBus {
  const { realtime } = options.config;
  if (realtime.adapter === 'redis') return createRedisBus({ url: realtime.redisUrl as string, log: options.logger });
  return createPostgresBus({ pool: options.database.pool, log: options.logger });
}

/**
 * The realtime gateway (`GET /v1/realtime`, WebSocket): the handshake is an ordinary guarded
 * route (credentials, rate limit, and here an Origin check against cross-site handshakes); once
 * open, the connection speaks the protocol in protocol.ts. Published events go through the bus
 * (PostgreSQL LISTEN/NOTIFY, or Redis) to every app process, which hands them to its subscribers.
 * Register before the modules' routes, so they can define channels.
 */
export async function installRealtime(app: AppInstance, options: RealtimeOptions): Promise<void> {
  const { config } = options;
  const channels = new Map<string, ChannelDefinition>();
  let slowConsumersDropped = 0;
  const hub = createHub({
    replayEvents: config.realtime.replayEvents,
    maxBufferedBytes: config.realtime.maxBufferedBytes,
    onSlowConsumer: () => {
      slowConsumersDropped++;
      options.logger.warn('realtime: slow consumer disconnected');
    },
  });
  const gateway = createGateway({ db: options.database.db, hub, channels, heartbeatMs: config.realtime.heartbeatMs });
  const bus = options.bus ?? busFor(options);

  await app.register(fastifyWebsocket, { options: { maxPayload: MAX_INBOUND_BYTES } });
  app.decorate('realtime', {
    defineChannel(definition) {
      if (!CHANNEL_NAME.test(definition.name)) throw new Error(`realtime channel "${definition.name}": expected dotted lower-case words`);
      if (channels.has(definition.name)) throw new Error(`realtime channel "${definition.name}" is defined twice`);
      if (!options.permissions.has(definition.permission))
        throw new Error(`realtime channel "${definition.name}": permission ${definition.permission} is declared by no module`);
      channels.set(definition.name, definition);
    },
    async publish(tenantId, channel, event) {
      if (!UUID.test(tenantId)) throw new Error(`realtime publish: "${tenantId}" is not a tenant id`);
      if (!channels.has(channel)) throw new Error(`realtime publish: channel "${channel}" is not defined`);
      await bus.publish({ tenantId: tenantId.toLowerCase(), channel, event });
    },
    stats: () => ({ connections: gateway.connectionCount(), slowConsumersDropped, deadSocketsDropped: gateway.deadSocketsDropped() }),
  } satisfies Realtime);

  // A refused handshake (guard hooks throw before the plugin marks the request as a WebSocket one)
  // would leave the upgrade socket open after the error response: close it once answered.
  app.addHook('onResponse', async (request) => {
    if (request.headers.upgrade?.toLowerCase() === 'websocket') request.raw.socket?.destroy();
  });
  app.addHook('onReady', async () => bus.start((message) => hub.deliver(message), () => hub.lost()));
  app.addHook('onClose', async () => {
    gateway.close();
    await bus.close();
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
