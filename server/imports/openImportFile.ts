import { Readable } from "node:stream";
import type { Db } from "../db.ts";

/** The stored file as a stream, one chunk from PostgreSQL at a time (never the whole file in memory). */
export function openImportFile(prisma: Db, importId: string): Readable {
  let seq = 0;
  return new Readable({
    async read() {
      try {
        const chunk = await prisma.importChunk.findUnique({ where: { importId_seq: { importId, seq } } });
        seq += 1;
        this.push(chunk ? Buffer.from(chunk.data) : null);
      } catch (err) {
        this.destroy(err as Error);
      }
    },
  });
}

/** The first bytes of the stored file (for detection and preview). */
export async function headOfImportFile(prisma: Db, importId: string): Promise<Buffer> {
  const first = await prisma.importChunk.findUnique({ where: { importId_seq: { importId, seq: 0 } } });
  return first ? Buffer.from(first.data) : Buffer.alloc(0);
}
