// What route handlers need beyond the database: the Redis producer and the queues they feed.
import type { Request } from "express";
import type { Redis } from "ioredis";
import { importsQueue } from "../../queues/imports.ts";

export interface Services {
  redis: Redis;
  imports: ReturnType<typeof importsQueue>;
}

export function createServices(redis: Redis): Services {
  return { redis, imports: importsQueue(redis) };
}

export function servicesOf(req: Request): Services {
  return req.app.locals.services as Services;
}
