import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import type { Db } from '../db/index.ts';
import { AppError } from '../errors.ts';
import { entitledModulesOf, loadAuthorization, type Authenticated, type MemberAccess } from '../http/index.ts';
import type { Entitlements } from '../module/index.ts';
import type { Logger } from '../observability/logger.ts';
import { credentialOf, liveCredentials, type SocketCredential } from './credentials.ts';
import type { Hub } from './hub.ts';
import { CLOSE_CODES, channelKey, clientMessage, parseChannelKey, type ClientMessage, type ErrorCode, type ServerMessage } from './protocol.ts';

/** A channel clients may subscribe to, in their own tenant, holding `permission`. */
export interface ChannelDefinition {
  /** Dotted lower-case name within the tenant, e.g. `catalog.products`; clients subscribe to `tenant:<id>:<name>`. */
  name: string;
  /** The permission a member needs to subscribe (checked live at each subscribe). */
  permission: string;
  description?: string;
}

/** A defined channel and the module declaring its permission, whose businesses alone may use it. */
export type DefinedChannel = ChannelDefinition & { module: string };

/** Whether the member may hold the channel: their business may use its module, and they hold its permission. */
const mayHold = (entitlements: Entitlements, access: MemberAccess, channel: DefinedChannel): boolean =>
  entitledModulesOf(entitlements, access).has(channel.module) && access.permissions.has(channel.permission);

export interface GatewayOptions {
  db: Db;
  hub: Hub;
  channels: ReadonlyMap<string, DefinedChannel>;
  entitlements: Entitlements;
  heartbeatMs: number;
  /** How often every open socket's credentials and channel permissions are checked again (the safety net under revocation notices). */
  recheckMs: number;
  log: Logger;
  /** Subscriptions one connection may hold. */
  maxSubscriptions?: number;
  /** Inbound messages one connection may send per 10 s; more closes it (1008). */
  maxMessagesPer10s?: number;
}

interface Connection {
  socket: WebSocket;
  alive: boolean;
  auth: Authenticated;
  credential: SocketCredential | undefined;
}

/** Which sockets a credential change concerns: a user's (any of their sessions or tokens) or a terminal's. */
export interface CredentialChange {
  userIds?: readonly string[];
  deviceIds?: readonly string[];
}

const textOf = (data: RawData): string =>
  (Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data)).toString('utf8');

/** Close codes: 1008 policy violation (flooding), 1011 server error. */
const POLICY_VIOLATION = 1008;

/**
 * Runs accepted WebSocket connections: the guard already ran on the handshake (credentials, rate
 * limit, origin); here every inbound message is validated and every subscription permission-checked
 * against the member's live roles, and dead sockets are found by ping/pong.
 */
export function createGateway(options: GatewayOptions) {
  const { hub, channels } = options;
  const maxSubscriptions = options.maxSubscriptions ?? 100;
  const maxMessages = options.maxMessagesPer10s ?? 200;
  const connections = new Set<Connection>();
  let deadSocketsDropped = 0;
  let revokedSocketsClosed = 0;
  // Users and terminals named by recent notices, and when: a handshake authenticated just before a
  // revocation committed may be accepted just after its notice was handled, so it is checked once more.
  const recentlyChanged = new Map<string, number>();
  const NOTICE_MEMORY_MS = 10_000;

  // One timer for all sockets: a socket that did not answer the previous ping is dropped.
  const heartbeat = setInterval(() => {
    for (const connection of connections) {
      if (!connection.alive) {
        deadSocketsDropped++;
        connections.delete(connection);
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
    }
  }, options.heartbeatMs);
  heartbeat.unref();

  /** Ends a socket whose credentials or access no longer hold: an error frame saying why, then a close with the gateway's code. */
  function end(connection: Connection, code: 'AUTHN' | 'AUTHZ', message: string): void {
    connections.delete(connection);
    hub.remove(connection.socket);
    revokedSocketsClosed++;
    hub.send(connection.socket, { type: 'error', code, message });
    const [closeCode, reason] = code === 'AUTHN' ? [CLOSE_CODES.credentialsRevoked, 'credentials revoked'] : [CLOSE_CODES.accessWithdrawn, 'access withdrawn'];
    connection.socket.close(closeCode, reason);
  }

  /**
   * Checks the given sockets again: their credentials (signed out, revoked, user disabled) and,
   * for sockets holding subscriptions, the member's access to their business and the permission of
   * every channel they hold (a role change moves the tenant's access_version; this reads live rows).
   */
  async function recheck(targets: readonly Connection[]): Promise<void> {
    if (targets.length === 0) return;
    const credentials = targets.flatMap((connection) => (connection.credential ? [connection.credential] : []));
    const live = await liveCredentials(options.db, credentials);
    const authorizations = new Map<string, Promise<MemberAccess | undefined>>();
    for (const connection of targets) {
      if (!connections.has(connection)) continue;
      if (connection.credential && !live.has(connection.credential)) {
        end(connection, 'AUTHN', 'Your sign-in has ended; sign in again.');
        continue;
      }
      const held = hub.channelsOf(connection.socket);
      const { tenantId, userId } = connection.auth;
      if (held.length === 0 || !tenantId) continue;
      const key = `${tenantId}:${userId ?? ''}`;
      let loading = authorizations.get(key);
      if (!loading) {
        // Not a member any more, or the business is suspended: no access at all.
        loading = loadAuthorization(options.db, tenantId, userId).catch((error: unknown) => {
          if (error instanceof AppError) return undefined;
          throw error;
        });
        authorizations.set(key, loading);
      }
      const access = await loading;
      const allowed = (channel: string) => {
        const definition = channels.get(parseChannelKey(channel)?.name ?? '');
        return access !== undefined && definition !== undefined && mayHold(options.entitlements, access, definition);
      };
      if (!held.every(allowed) && connections.has(connection)) end(connection, 'AUTHZ', 'You no longer have access to a channel you subscribed to.');
    }
  }

  // One pass at a time: a slow database never piles passes up.
  let pass: Promise<void> = Promise.resolve();
  const recheckSafely = (targets: readonly Connection[]) => {
    pass = pass
      .then(() => recheck(targets))
      .catch((error: unknown) => options.log.error({ err: error }, 'realtime: could not re-check open sockets'));
    return pass;
  };
  const periodic = setInterval(() => void recheckSafely([...connections]), options.recheckMs);
  periodic.unref();

  /** The channel's key when the actor may subscribe, else the error to answer. */
  async function authorizeSubscription(auth: Authenticated, message: Extract<ClientMessage, { type: 'subscribe' }>): Promise<{ key: string } | ServerMessage> {
    const target = parseChannelKey(message.channel);
    const definition = target && channels.get(target.name);
    const ref = message.ref === undefined ? {} : { ref: message.ref };
    // Another tenant's channel, or one of a module the business may not use, answers exactly like one that does not exist.
    const missing: ServerMessage = { type: 'error', code: 'NOT_FOUND', message: 'There is no such channel.', ...ref };
    if (!target || !definition || !auth.tenantId || target.tenantId !== auth.tenantId.toLowerCase()) return missing;
    try {
      const access = await loadAuthorization(options.db, auth.tenantId, auth.userId);
      if (!entitledModulesOf(options.entitlements, access).has(definition.module)) return missing;
      if (access.permissions.has(definition.permission)) return { key: channelKey(target.tenantId, target.name) };
      return { type: 'error', code: 'AUTHZ', message: 'You do not have permission to do this.', details: { reason: 'PERMISSION_REQUIRED', permission: definition.permission }, ...ref };
    } catch (error) {
      if (error instanceof AppError) return { type: 'error', code: 'AUTHZ', message: error.message, ...(error.details ? { details: error.details } : {}), ...ref };
      throw error;
    }
  }

  async function handle(socket: WebSocket, auth: Authenticated, data: RawData, isBinary: boolean): Promise<void> {
    const fail = (code: ErrorCode, message: string, extra: { ref?: string; details?: Record<string, unknown> } = {}) => hub.send(socket, { type: 'error', code, message, ...extra });
    if (isBinary) return void fail('VALIDATION', 'Send messages as JSON text frames.');
    let json: unknown;
    try {
      json = JSON.parse(textOf(data));
    } catch {
      return void fail('VALIDATION', 'The message is not valid JSON.');
    }
    const parsed = clientMessage.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
      const ref = typeof (json as { ref?: unknown } | null)?.ref === 'string' ? { ref: ((json as { ref: string }).ref).slice(0, 64) } : {};
      return void fail('VALIDATION', 'The message is not valid.', { details: { issues }, ...ref });
    }
    const message = parsed.data;
    const ref = message.ref === undefined ? {} : { ref: message.ref };
    switch (message.type) {
      case 'ping':
        hub.send(socket, { type: 'pong', ...ref });
        return;
      case 'unsubscribe': {
        const target = parseChannelKey(message.channel);
        const channel = target ? channelKey(target.tenantId, target.name) : message.channel;
        hub.unsubscribe(socket, channel);
        hub.send(socket, { type: 'unsubscribed', channel, ...ref });
        return;
      }
      case 'subscribe': {
        const allowed = await authorizeSubscription(auth, message);
        if (!('key' in allowed)) return void hub.send(socket, allowed);
        const channel = allowed.key;
        if (hub.subscriptionsOf(socket) >= maxSubscriptions && !hub.isSubscribed(socket, channel))
          return void fail('RATE_LIMIT', `A connection may hold at most ${maxSubscriptions} subscriptions.`, ref);
        const missed = hub.subscribe(socket, channel, message.lastEventId);
        hub.send(socket, { type: 'subscribed', channel, ...ref });
        for (const frame of missed) hub.send(socket, frame);
        return;
      }
    }
  }

  return {
    /** Takes over a socket whose handshake passed the guard. */
    accept(socket: WebSocket, request: FastifyRequest): void {
      const auth = request.auth;
      if (!auth) {
        socket.close(POLICY_VIOLATION, 'not signed in');
        return;
      }
      const connection: Connection = { socket, alive: true, auth, credential: credentialOf(request, auth) };
      connections.add(connection);
      const deviceId = connection.credential?.kind === 'token' ? connection.credential.deviceId : null;
      const noticed = (key: string) => Date.now() - (recentlyChanged.get(key) ?? -Infinity) <= NOTICE_MEMORY_MS;
      if ((auth.userId && noticed(`user:${auth.userId}`)) || (deviceId && noticed(`device:${deviceId}`))) void recheckSafely([connection]);
      let queue = Promise.resolve();
      let windowStart = Date.now();
      let inWindow = 0;
      socket.on('pong', () => (connection.alive = true));
      socket.on('message', (data, isBinary) => {
        connection.alive = true;
        const now = Date.now();
        if (now - windowStart > 10_000) [windowStart, inWindow] = [now, 0];
        if (++inWindow > maxMessages) {
          hub.send(socket, { type: 'error', code: 'RATE_LIMIT', message: 'Too many messages; reconnect later.' });
          socket.close(POLICY_VIOLATION, 'too many messages');
          return;
        }
        // One message at a time per connection, in the order sent; a failure never ends the process.
        queue = queue
          .then(() => handle(socket, auth, data, isBinary))
          .catch((error: unknown) => {
            request.log.error({ err: error }, 'realtime: message handling failed');
            hub.send(socket, { type: 'error', code: 'INTERNAL', message: 'Something went wrong on our side.' });
          });
      });
      socket.on('close', () => {
        connections.delete(connection);
        hub.remove(socket);
      });
      hub.send(socket, { type: 'welcome', connectionId: randomUUID(), heartbeatMs: options.heartbeatMs });
    },
    connectionCount: () => connections.size,
    deadSocketsDropped: () => deadSocketsDropped,
    revokedSocketsClosed: () => revokedSocketsClosed,
    /** A revocation notice: re-checks at once the sockets it concerns. */
    credentialsChanged(change: CredentialChange): Promise<void> {
      const users = new Set(change.userIds ?? []);
      const devices = new Set(change.deviceIds ?? []);
      const now = Date.now();
      for (const [key, at] of recentlyChanged) if (now - at > NOTICE_MEMORY_MS) recentlyChanged.delete(key);
      for (const id of users) recentlyChanged.set(`user:${id}`, now);
      for (const id of devices) recentlyChanged.set(`device:${id}`, now);
      const concerned = [...connections].filter(
        ({ auth, credential }) => (auth.userId !== null && users.has(auth.userId)) || (credential?.kind === 'token' && credential.deviceId !== null && devices.has(credential.deviceId)),
      );
      return recheckSafely(concerned);
    },
    /** Re-checks every open socket now (what the periodic pass does). */
    recheckAll: () => recheckSafely([...connections]),
    close(): void {
      clearInterval(heartbeat);
      clearInterval(periodic);
      for (const { socket } of connections) socket.terminate();
      connections.clear();
    },
  };
}

export type Gateway = ReturnType<typeof createGateway>;
