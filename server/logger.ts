import { pino } from "pino";
import { env } from "./env.ts";

export const logger = pino({
  level: env().LOG_LEVEL,
  redact: { paths: ["req.headers.cookie", "req.headers['x-csrf-token']", "password", "*.password"], remove: true },
});
