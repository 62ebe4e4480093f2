/**
 * Baseline for the realtime fan-out: a bare `ws` server that LISTENs on the same NOTIFY channel
 * as Plinth's bus and sends each payload's event to every connected socket, checking nothing.
 */
import { createServer } from 'node:http';
import pg from 'pg';
import { WebSocketServer, type WebSocket } from 'ws';
import { BUS_CHANNEL, type BusMessage } from '../../src/kernel/realtime/bus.ts';

const sockets = new Set<WebSocket>();
const server = createServer();
const wss = new WebSocketServer({ server });
wss.on('connection', (socket) => {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
});
const listener = new pg.Client({ connectionString: process.env.DATABASE_URL });
await listener.connect();
listener.on('notification', ({ payload }) => {
  if (!payload) return;
  const message = JSON.parse(payload) as BusMessage;
  const frame = JSON.stringify({ type: 'event', channel: message.channel, event: message.event });
  for (const socket of sockets) socket.send(frame);
});
await listener.query(`LISTEN ${BUS_CHANNEL}`);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const address = server.address();
process.stdout.write(`${JSON.stringify({ listening: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` })}\n`);
process.on('SIGTERM', () => {
  for (const socket of sockets) socket.terminate();
  void listener.end().then(() => server.close(() => process.exit(0)));
});
