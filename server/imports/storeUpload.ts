// Keeps an uploaded listing in PostgreSQL (ImportChunk), so any worker can process or resume it.
import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import type { Db } from "../db.ts";
import { env } from "../env.ts";
import { AppError } from "../errors.ts";
import { pgPool } from "../pgPool.ts";

export const CHUNK_BYTES = 1 << 20;

export interface UploadMeta {
  organisationId: string;
  campaignId: string | null;
  kind: "patients" | "gps";
  fileName: string;
  createdById?: string;
  createdByLabel?: string;
}

export function uploadLimitBytes() {
  return env().UPLOAD_LIMIT_MB * 1024 * 1024;
}

export async function storeUpload(prisma: Db, meta: UploadMeta, file: Readable) {
  const created = await prisma.import.create({ data: { ...meta, fileSize: 0n, fileHash: "" } });
  const hash = createHash("sha256");
  let size = 0;
  let seq = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  // Chunks of at most CHUNK_BYTES, whatever the pieces the stream hands in (a buffer given whole, by the seed
  // or a test, is cut too): reading an import back holds one chunk at a time.
  const flush = async (all: boolean) => {
    let data = Buffer.concat(pending);
    while (data.length >= CHUNK_BYTES || (all && data.length)) {
      const part = data.subarray(0, CHUNK_BYTES);
      data = data.subarray(part.length);
      // node-postgres, not Prisma: Prisma's bytes path held ~100 MB more while a 31 MB file went in.
      await pgPool().query({ name: "import-store-chunk", text: `INSERT INTO "ImportChunk" ("importId", "seq", "data") VALUES ($1, $2, $3)`, values: [created.id, seq++, part] });
    }
    pending = data.length ? [data] : [];
    pendingBytes = data.length;
  };
  try {
    for await (const piece of file as AsyncIterable<Buffer>) {
      size += piece.length;
      if (size > uploadLimitBytes()) {
        throw new AppError("file_too_large", 413, `Fichier trop volumineux : la limite est de ${env().UPLOAD_LIMIT_MB} Mo (UPLOAD_LIMIT_MB).`);
      }
      hash.update(piece);
      pending.push(piece);
      pendingBytes += piece.length;
      if (pendingBytes >= CHUNK_BYTES) await flush(false);
    }
    await flush(true);
    if (size === 0) throw new AppError("empty_file", 400, "Le fichier est vide.");
    return await prisma.import.update({ where: { id: created.id }, data: { fileSize: BigInt(size), fileHash: hash.digest("hex") } });
  } catch (err) {
    file.resume();
    await prisma.import.delete({ where: { id: created.id } });
    throw err;
  }
}
