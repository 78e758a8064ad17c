// A route is data: method, path, zod schemas, the policy action, a handler. The same
// definitions build the express router, enforce auth/CSRF/role, and produce /api/openapi.json.
import type { Request, Response } from "express";
import type { z } from "zod";
import type { Action } from "../auth/policy.ts";
import type { AuthContext } from "../auth/sessions.ts";

type Method = "get" | "post" | "patch" | "put" | "delete";
type Schema = z.ZodType;
type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;

export interface HandlerContext<B, Q, P> {
  req: Request;
  res: Response;
  body: B;
  query: Q;
  params: P;
}

export interface RouteResult {
  status?: number;
  body?: unknown;
}

interface Common<B extends Schema | undefined, Q extends Schema | undefined, P extends Schema | undefined> {
  method: Method;
  /** express path under /api, e.g. "/users/:id" */
  path: string;
  summary: string;
  body?: B;
  query?: Q;
  params?: P;
  /** true when the handler writes the response itself (files, streams). */
  raw?: boolean;
  /** true when the body is a multipart form carrying one file in the field « file » (read with readUpload). */
  upload?: boolean;
}

export type RouteDef<B extends Schema | undefined = Schema | undefined, Q extends Schema | undefined = Schema | undefined, P extends Schema | undefined = Schema | undefined> =
  | (Common<B, Q, P> & {
      /** "public": no session needed (login, health). */
      action: "public";
      handler: (ctx: HandlerContext<Infer<B>, Infer<Q>, Infer<P>> & { auth?: AuthContext }) => Promise<RouteResult | void>;
    })
  | (Common<B, Q, P> & {
      action: Action;
      handler: (ctx: HandlerContext<Infer<B>, Infer<Q>, Infer<P>> & { auth: AuthContext }) => Promise<RouteResult | void>;
    });

/** Identity function that keeps the schema types flowing into the handler. */
export function defineRoute<B extends Schema | undefined = undefined, Q extends Schema | undefined = undefined, P extends Schema | undefined = undefined>(
  def: RouteDef<B, Q, P>,
): RouteDef {
  return def as unknown as RouteDef;
}
