import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client.ts";
import { env } from "./env.ts";

export type Db = PrismaClient;
/** A transaction handle, as given to `prisma.$transaction(async (tx) => ...)`. Domain functions take this. */
export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export function createPrisma(url = env().DATABASE_URL): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 20, connectionTimeoutMillis: 5000 }) });
}

let client: PrismaClient | undefined;
/** The process-wide client (one pool per process). */
export function db(): PrismaClient {
  client ??= createPrisma();
  return client;
}

export async function closeDb() {
  await client?.$disconnect();
  client = undefined;
}
