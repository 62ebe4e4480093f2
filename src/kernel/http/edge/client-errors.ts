import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError } from 'fastify';
import type { Logger } from '../../observability/logger.ts';
import type { ErrorEnvelope } from '../../errors.ts';

/** What node's HTTP parser refuses before Fastify sees a request, answered in our envelope. */
function answerFor(error: ConnectionError): { status: number; message: string } {
  if (error.code === 'HPE_HEADER_OVERFLOW') return { status: 431, message: 'The request line and headers are too large.' };
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, message: 'The request took too long to arrive.' };
  return { status: 400, message: 'The request is not well-formed HTTP.' };
}

/**
 * Fastify's `clientErrorHandler`: a URL or headers over node's size limit (431), a malformed request
 * line or a timeout leave as the envelope (code VALIDATION) instead of Fastify's own JSON; the
 * connection is closed, as node does, since the parser cannot read on past the error.
 */
export function clientErrorHandler(logger: Logger) {
  return (error: ConnectionError, socket: Socket): void => {
    // A reset connection has no one to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const { status, message } = answerFor(error);
    logger.info({ code: error.code, status }, 'request rejected by the HTTP parser');
    const envelope: ErrorEnvelope = { error: { code: 'VALIDATION', message } };
    const body = JSON.stringify(envelope);
    if (socket.writable)
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    socket.destroy(error);
  };
}
