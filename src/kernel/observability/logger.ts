import { pino, type Logger } from 'pino';

export type { Logger };

/** One Pino logger per process; request loggers are its children. */
export function createLogger(level: string, name = 'plinth'): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.token'],
      censor: '[redacted]',
    },
  });
}
