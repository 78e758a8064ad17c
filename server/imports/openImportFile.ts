import { Readable } from "node:stream";
import type pg from "pg";

/** Where the chunks are read from: the process's pg pool (node-postgres, no Prisma: the import process does not load it). */
export type ChunkSource = Pick<pg.Pool, "query">;

const readChunk = async (source: ChunkSource, importId: string, seq: number): Promise<Buffer | null> => {
  const { rows } = await source.query<{ data: Buffer }>({
    name: "import-read-chunk",
    text: `SELECT "data" FROM "ImportChunk" WHERE "importId" = $1 AND "seq" = $2`,
    values: [importId, seq],
  });
  return rows[0]?.data ?? null;
};

/** The stored file as a stream, one chunk from PostgreSQL at a time (never the whole file in memory). */
export function openImportFile(source: ChunkSource, importId: string): Readable {
  let seq = 0;
  return new Readable({
    async read() {
      try {
        const chunk = await readChunk(source, importId, seq);
        seq += 1;
        this.push(chunk);
      } catch (err) {
        this.destroy(err as Error);
      }
    },
  });
}

/** The first bytes of the stored file (for detection and preview). */
export async function headOfImportFile(source: ChunkSource, importId: string): Promise<Buffer> {
  return (await readChunk(source, importId, 0)) ?? Buffer.alloc(0);
}
