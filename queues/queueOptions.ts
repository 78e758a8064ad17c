import { env } from "../server/env.ts";

/** Every queue of the product lives under this prefix (tests and installations sharing one Redis use their own). */
export const queuePrefix = () => `${env().REDIS_PREFIX}:bull`;
