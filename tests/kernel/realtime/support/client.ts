import { once } from 'node:events';
import WebSocket from 'ws';
import type { ClientMessage, ServerMessage } from '../../../../src/kernel/realtime/index.ts';

/** The channel the realtime tests subscribe to: tenant owners may read products. */
export const TEST_CHANNEL = { name: 'catalog.products', permission: 'catalog.product.read' };

/** A WebSocket client that keeps every message it receives, for tests. */
export interface TestClient {
  socket: WebSocket;
  received: ServerMessage[];
  /** Resolves when the socket closes, with the close code and reason the server sent. */
  closed: Promise<{ code: number; reason: string }>;
  send(message: ClientMessage | string): void;
  /** The first message (from `from` on) that matches, waiting for it up to `timeoutMs`. */
  next<T extends ServerMessage['type']>(type: T, match?: (message: Extract<ServerMessage, { type: T }>) => boolean, timeoutMs?: number): Promise<Extract<ServerMessage, { type: T }>>;
  close(): Promise<void>;
}

/** Opens a socket; rejects with the HTTP status when the handshake is refused. */
export async function connect(url: string, headers: Record<string, string> = {}): Promise<TestClient> {
  const socket = new WebSocket(url, { headers });
  const received: ServerMessage[] = [];
  const seen = new Set<ServerMessage>();
  socket.on('message', (data) => received.push(JSON.parse(String(data)) as ServerMessage));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_request, response) => reject(Object.assign(new Error(`handshake refused: ${response.statusCode}`), { statusCode: response.statusCode })));
    socket.once('error', reject);
  });
  return {
    socket,
    received,
    closed,
    send: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    async next(type, match = () => true, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find((message) => !seen.has(message) && message.type === type && match(message as never));
        if (found) {
          seen.add(found);
          return found as never;
        }
        if (Date.now() > deadline) throw new Error(`no "${type}" message within ${timeoutMs} ms; received ${JSON.stringify(received)}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async close() {
      if (socket.readyState === WebSocket.CLOSED) return;
      const closed = once(socket, 'close');
      socket.close();
      await closed;
    },
  };
}

/** The status a refused handshake was answered with. */
export async function refusedStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  try {
    const client = await connect(url, headers);
    await client.close();
    return 101;
  } catch (error) {
    return (error as { statusCode?: number }).statusCode ?? -1;
  }
}
