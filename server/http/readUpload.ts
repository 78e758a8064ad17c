// Streams the `file` field of a multipart request to a consumer, without buffering the whole file.
import busboy from "busboy";
import type { Request } from "express";
import type { Readable } from "node:stream";
import { AppError, errors } from "../errors.ts";

export async function readUpload<T>(req: Request, consume: (file: Readable, fileName: string, fields: Record<string, string>) => Promise<T>): Promise<T> {
  if (!req.is("multipart/form-data")) throw errors.badRequest("Envoyez le fichier en multipart/form-data, dans le champ « file ».");
  return new Promise<T>((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { files: 1, fields: 20, fieldSize: 64 * 1024 } });
    } catch {
      reject(errors.badRequest("Requête multipart mal formée."));
      return;
    }
    const fields: Record<string, string> = {};
    let handled: Promise<T> | undefined;
    bb.on("field", (name, value) => (fields[name] = value));
    bb.on("file", (name, stream, info) => {
      if (name !== "file") {
        stream.resume();
        return;
      }
      // A body cut before its closing boundary fails the file stream itself (busboy's own error, not one the consumer
      // destroyed it with): without a listener the error was unhandled, and it stopped the whole process.
      let cut: unknown;
      stream.on("error", (err) => {
        if (!(err instanceof AppError)) cut = err;
      });
      handled = consume(stream, info.filename || "listing", fields);
      handled.catch((err) => {
        // Refused mid-way (too large, database error): answer now and drain the rest of the request.
        req.unpipe(bb);
        req.resume();
        reject(cut !== undefined && err === cut ? errors.badRequest("Requête multipart mal formée ou interrompue.") : err);
      });
    });
    bb.on("error", () => reject(errors.badRequest("Requête multipart mal formée ou interrompue.")));
    bb.on("close", () => {
      if (!handled) reject(new AppError("file_missing", 400, "Aucun fichier reçu : le champ « file » est obligatoire."));
      else handled.then(resolve, reject);
    });
    req.pipe(bb);
  });
}
