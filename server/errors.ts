// One error type for everything a user can be told, and one middleware that answers it.
import type { ErrorRequestHandler, Request } from "express";
import { z } from "zod";
import { logger } from "./logger.ts";

export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly userMessage: string,
    readonly details?: unknown,
  ) {
    super(`${code}: ${userMessage}`);
  }
}

export const errors = {
  badRequest: (message: string, details?: unknown) => new AppError("bad_request", 400, message, details),
  unauthenticated: () => new AppError("unauthenticated", 401, "Veuillez vous connecter."),
  forbidden: () => new AppError("forbidden", 403, "Votre rôle ne permet pas cette action."),
  notFound: (what = "Ressource") => new AppError("not_found", 404, `${what} introuvable.`),
  conflict: (message: string) => new AppError("conflict", 409, message),
  noPatient: () => new AppError("no_patient", 409, "Vous ne tenez aucun patient."),
  unavailable: (service: string) =>
    new AppError("service_unavailable", 503, `Service momentanément indisponible (${service}). Réessayez dans un instant.`),
};

/** The French name of the field at `path` in `schema` (its `.meta({ title })`, the deepest one on the way), or null. */
function titleAt(schema: z.ZodType, path: PropertyKey[]): string | null {
  let node: z.core.$ZodType | undefined = schema;
  let title: string | null = null;
  const seen = (n: z.core.$ZodType) => {
    const t = z.globalRegistry.get(n as z.ZodType)?.title;
    if (typeof t === "string") title = t;
  };
  const unwrap = (n: z.core.$ZodType) => {
    for (let d = n._zod.def as { innerType?: z.core.$ZodType; in?: z.core.$ZodType }; d.innerType ?? d.in; d = n._zod.def as typeof d) {
      seen(n);
      n = (d.innerType ?? d.in)!;
    }
    seen(n);
    return n;
  };
  for (const key of path) {
    node = unwrap(node!);
    type Def = { type: string; shape?: Record<string, z.core.$ZodType>; element?: z.core.$ZodType; valueType?: z.core.$ZodType; items?: z.core.$ZodType[]; options?: z.core.$ZodType[] };
    const def = node._zod.def as Def;
    node = def.type === "object" ? def.shape?.[String(key)]
      // a union of objects (a discriminated union): the first option that has the key
      : def.type === "union" ? def.options?.map((o) => (unwrap(o)._zod.def as Def).shape?.[String(key)]).find(Boolean)
      : def.type === "array" ? def.element
        : def.type === "record" ? def.valueType
          : def.type === "tuple" ? def.items?.[Number(key)]
            : undefined;
    if (!node) break;
  }
  if (node) unwrap(node);
  return title;
}

function fieldList(error: z.ZodError, schema?: z.ZodType) {
  return error.issues.map((i) => ({ field: (schema && titleAt(schema, i.path)) || i.path.join(".") || "(corps)", message: i.message }));
}

/** A request's input refused by its schema: each field by its French name where the schema gives one. */
export function invalidInput(error: z.ZodError, schema?: z.ZodType): AppError {
  const fields = fieldList(error, schema);
  return errors.badRequest(`Données invalides : ${fields.map((f) => `${f.field} : ${f.message}`).join(" ; ")}`, fields);
}

/** Parses a request's input; refused, it says which fields and why, in French. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalidInput(result.error, schema);
  return result.data;
}

/** Maps anything thrown in a route to an AppError; unknown errors become a logged 500. */
export function toAppError(err: unknown, req?: Request): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof z.ZodError) return invalidInput(err);
  const e = err as { type?: string; status?: number; code?: string; name?: string; message?: string };
  // body-parser errors
  if (e?.type === "entity.too.large") return new AppError("payload_too_large", 413, "Requête trop volumineuse.");
  if (e?.type === "entity.parse.failed") return errors.badRequest("Corps de requête JSON mal formé.");
  if (e?.type === "encoding.unsupported" || e?.type === "charset.unsupported") return errors.badRequest("Encodage de la requête non pris en charge.");
  // Two requests creating the same thing at once (a double click): the second meets the unique constraint.
  if (e?.code === "P2002" || e?.code === "23505") return errors.conflict("Cet enregistrement existe déjà (une autre demande identique vient d'aboutir).");
  // Infrastructure down: answer 503 quickly with a clear message.
  if (isDatabaseDown(e)) return errors.unavailable("base de données");
  if (isRedisDown(e)) return errors.unavailable("Redis");
  logger.error({ err, reqId: req?.id }, "unhandled error");
  return new AppError("internal", 500, `Erreur interne. Référence : ${String(req?.id ?? "-")}`);
}

function isDatabaseDown(e: { code?: string; name?: string; message?: string }) {
  return ["ECONNREFUSED", "57P01", "57P03", "ETIMEDOUT", "P1001"].includes(e?.code ?? "") ||
    /Can't reach database|Connection terminated|connect ECONNREFUSED .*5432|DatabaseNotReachable|timeout exceeded when trying to connect/i.test(e?.message ?? "");
}

export function isRedisDown(e: { message?: string; name?: string }) {
  return /enableOfflineQueue|Connection is closed|Command timed out|MaxRetriesPerRequest/i.test(e?.message ?? "");
}

export const errorMiddleware: ErrorRequestHandler = (err, req, res, _next) => {
  const appError = toAppError(err, req);
  if (res.headersSent) return;
  res.status(appError.status).json({ error: { code: appError.code, message: appError.userMessage, ...(appError.details ? { details: appError.details } : {}) } });
};
