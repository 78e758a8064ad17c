// /api/openapi.json, generated from the same zod schemas the routes validate with.
import { z } from "zod";
import { SESSION_COOKIE } from "../auth/sessions.ts";
import { SAFE_METHODS } from "./buildRouter.ts";
import type { RouteDef } from "./defineRoute.ts";

const UPLOAD_SCHEMA = {
  type: "object",
  required: ["file"],
  properties: { file: { type: "string", contentMediaType: "application/octet-stream", description: "Le fichier (CSV, TSV ou XLSX)" } },
};

const toOpenApiPath = (p: string) => p.replace(/:([A-Za-z_]+)/g, "{$1}");

export function buildOpenApi(routes: RouteDef[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = `/api${toOpenApiPath(r.path)}`;
    const parameters = [
      ...Object.keys(r.params instanceof z.ZodObject ? r.params.shape : {}).map((name) => ({ name, in: "path", required: true, schema: { type: "string" } })),
      ...Object.entries(r.query instanceof z.ZodObject ? r.query.shape : {}).map(([name, s]) => ({
        name, in: "query", required: !(s as z.ZodType).safeParse(undefined).success, schema: z.toJSONSchema(s as z.ZodType, { io: "input", unrepresentable: "any" }),
      })),
    ];
    (paths[path] ??= {})[r.method] = {
      summary: r.summary,
      "x-policy-action": r.action,
      ...(parameters.length ? { parameters } : {}),
      ...(r.body ? { requestBody: { required: true, content: { "application/json": { schema: z.toJSONSchema(r.body, { io: "input", unrepresentable: "any" }) } } } } : {}),
      ...(r.upload ? { requestBody: { required: true, content: { "multipart/form-data": { schema: UPLOAD_SCHEMA } } } } : {}),
      responses: { default: { description: "Réponse JSON ; erreurs : { error: { code, message } }" } },
      ...(r.action === "public" ? {} : { security: [SAFE_METHODS.has(r.method) ? { session: [] } : { session: [], csrf: [] }] }),
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "Orientation MT — API", version: "0.1.0" },
    components: {
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: SESSION_COOKIE, description: "Cookie posé par POST /api/auth/login" },
        csrf: { type: "apiKey", in: "header", name: "x-csrf-token", description: "Jeton « csrfToken » de la réponse de POST /api/auth/login (ou de GET /api/auth/session), exigé par toute requête qui modifie" },
      },
    },
    paths,
  };
}
