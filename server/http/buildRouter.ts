// Turns route definitions into an express router: session, CSRF, policy, zod validation.
import { Router, type Request } from "express";
import { z } from "zod";
import { parse as parseCookie } from "cookie";
import { assertCan } from "../auth/policy.ts";
import { cookieOptions, findSession, SESSION_COOKIE, type AuthContext } from "../auth/sessions.ts";
import { pgPool } from "../pgPool.ts";
import { AppError, errors, parseInput } from "../errors.ts";
import type { RouteDef } from "./defineRoute.ts";

export const SAFE_METHODS = new Set(["get", "head", "options"]);

export async function authOf(req: Request): Promise<AuthContext | null> {
  const token = parseCookie(req.headers.cookie ?? "")[SESSION_COOKIE];
  return findSession(pgPool(), token);
}

export function buildRouter(routes: RouteDef[]): Router {
  const router = Router();
  for (const route of routes) {
    router[route.method](route.path, async (req, res) => {
      const auth = await authOf(req);
      if (auth?.renewedUntil) res.cookie(SESSION_COOKIE, parseCookie(req.headers.cookie ?? "")[SESSION_COOKIE]!, { ...cookieOptions(), expires: auth.renewedUntil });
      if (route.action !== "public") {
        if (!auth) {
          const hadCookie = Boolean(parseCookie(req.headers.cookie ?? "")[SESSION_COOKIE]);
          throw hadCookie ? new AppError("session_expired", 401, "Votre session a expiré. Veuillez vous reconnecter.") : errors.unauthenticated();
        }
        if (!SAFE_METHODS.has(route.method) && req.get("x-csrf-token") !== auth.csrfToken) {
          throw new AppError("csrf", 403, "Jeton de sécurité (CSRF) manquant ou invalide. Rechargez la page.");
        }
        assertCan(auth.user.role, route.action);
      }
      // A body that is not JSON (a form, text/plain) is not read at all: said, rather than answered as if empty.
      if (route.body && hasBody(req) && !req.is("application/json") && !(req.body && typeof req.body === "object" && Object.keys(req.body).length)) {
        throw new AppError("unsupported_media_type", 415, "Envoyez le corps de la requête en JSON (Content-Type: application/json).");
      }
      // PostgreSQL refuses text with a NUL character: said here, for every route, rather than a 500 at the write.
      if (hasNul(req.body) || hasNul(req.query) || hasNul(req.params)) throw errors.badRequest("Données invalides : un texte contient un caractère nul (code 0), qui ne peut pas être enregistré.");
      if (route.body) refuseUnknownFields(route.body, req.body ?? {});
      const body = route.body ? parseInput(route.body, req.body ?? {}) : undefined;
      const query = route.query ? parseInput(route.query, req.query) : undefined;
      const params = route.params ? parseInput(route.params, req.params) : undefined;
      const result = await route.handler({ req, res, body, query, params, auth: auth! } as never);
      if (route.raw) return;
      const status = result?.status ?? 200;
      if (result?.body === undefined) res.status(status === 200 ? 204 : status).end();
      else res.status(status).json(result.body);
    });
  }
  return router;
}

/** The object schema under optional, nullable, default and transform wrappers, or null when it is not an object
 * (a record, an array) or takes any key (a loose object). */
function objectShape(schema: z.ZodType): Record<string, z.ZodType> | null {
  let s: unknown = schema;
  for (let depth = 0; depth < 8 && s; depth++) {
    if (s instanceof z.ZodObject) return s._zod.def.catchall && !(s._zod.def.catchall instanceof z.ZodNever) ? null : (s.shape as Record<string, z.ZodType>);
    const def = (s as { _zod?: { def?: { innerType?: unknown; in?: unknown } } })._zod?.def;
    s = def?.innerType ?? def?.in;
  }
  return null;
}

function unknownFields(schema: z.ZodType, value: unknown, path = ""): { field: string; accepted: string[] }[] {
  const shape = objectShape(schema);
  if (!shape || !value || typeof value !== "object" || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([key, v]) =>
    key in shape ? unknownFields(shape[key], v, `${path}${key}.`) : [{ field: `${path}${key}`, accepted: Object.keys(shape).map((k) => `${path}${k}`) }]);
}

/** A field the route does not know is refused, not dropped: a misspelt option (« priorityOrdre ») did nothing, silently. */
function refuseUnknownFields(schema: z.ZodType, value: unknown) {
  const unknown = unknownFields(schema, value);
  if (!unknown.length) return;
  const names = unknown.map((u) => `« ${u.field} »`).join(", ");
  throw errors.badRequest(`Données invalides : ${unknown.length > 1 ? "champs inconnus" : "champ inconnu"} ${names} (champs acceptés : ${unknown[0].accepted.join(", ")}).`);
}

function hasNul(value: unknown): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (Array.isArray(value)) return value.some(hasNul);
  if (value && typeof value === "object") return Object.entries(value).some(([k, v]) => k.includes("\u0000") || hasNul(v));
  return false;
}

function hasBody(req: Request): boolean {
  return Number(req.headers["content-length"] ?? 0) > 0 || req.headers["transfer-encoding"] !== undefined;
}
