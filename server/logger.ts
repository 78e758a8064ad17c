import { pino } from "pino";
import { env } from "./env.ts";

export const logger = pino({
  level: env().LOG_LEVEL,
  redact: {
    paths: ["req.headers.cookie", "req.headers.authorization", "req.headers['x-csrf-token']", "res.headers['set-cookie']", "password", "*.password"],
    remove: true,
  },
});

/** What a request's log line keeps: no query string (searches carry patients' names and birth dates), no headers (the
 * session cookie, and the one a login sets, are credentials). */
export const httpLogSerializers = {
  req: (req: { id: unknown; method: string; url: string; remoteAddress?: string }) => ({ id: req.id, method: req.method, path: req.url.split("?")[0], remoteAddress: req.remoteAddress }),
  res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
};
