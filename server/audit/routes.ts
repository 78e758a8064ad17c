import { z } from "zod";
import { db } from "../db.ts";
import { defineRoute } from "../http/defineRoute.ts";

export const auditRoutes = [
  defineRoute({
    method: "get",
    path: "/audit",
    summary: "Journal d'audit de l'organisation (plus récent d'abord)",
    action: "audit:read",
    query: z.object({
      limit: z.coerce.number().int().min(1).max(500).default(100),
      before: z.coerce.bigint().min(1n, "curseur invalide").max(9_223_372_036_854_775_807n, "curseur invalide").optional(),
    }),
    async handler({ auth, query }) {
      const rows = await db().auditLog.findMany({
        where: { organisationId: auth.user.organisation.id, ...(query.before ? { id: { lt: query.before } } : {}) },
        orderBy: { id: "desc" },
        take: query.limit,
      });
      return { body: rows.map((r) => ({ ...r, id: r.id.toString() })) };
    },
  }),
];
