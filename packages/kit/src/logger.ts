/** pino JSON logs; every line names its service, and request loggers add request/correlation ids. */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(service: string, level: string = 'info'): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Never let a credential reach a log line, whatever a handler chose to log.
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.newPassword', '*.currentPassword', '*.refreshToken', '*.accessToken', '*.token'],
      censor: '[redacted]',
    },
  });
}
