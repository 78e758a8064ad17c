import { z } from "zod";
import type { Request } from "express";
import { defineRoute } from "../http/defineRoute.ts";
import { inTransaction, pgPool } from "../pgPool.ts";
import { errors } from "../errors.ts";
import type { AuthContext } from "../auth/sessions.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import { db } from "../db.ts";
import { findCandidates } from "./findCandidates.ts";
import { listGps } from "./listGps.ts";
import { bookOrientation } from "./bookOrientation.ts";
import { answerOrientation } from "./answerOrientation.ts";
import { capacityInput, declareCapacity } from "./declareCapacity.ts";
import { createGpLink } from "./createGpLink.ts";
import { mailer, sendGpLink } from "./sendGpLink.ts";
import { ioOf, publish } from "../live/publish.ts";

const idParams = z.object({ id: z.uuid({ message: "identifiant invalide" }) });
const holderKind = z.enum(["gp", "team"], { message: "« gp » ou « team » attendu" });
export const answerInput = z.discriminatedUnion("decision", [
  z.object({ decision: z.literal("confirm"), assignedGpId: z.uuid({ message: "médecin de l'équipe invalide" }).meta({ title: "Médecin de l'équipe" }).optional() }),
  z.object({ decision: z.literal("decline"), reason: z.string().trim().min(2, "indiquez le motif du refus").max(500, "500 caractères au plus").meta({ title: "Motif du refus" }) }),
], { message: "décision « confirm » ou « decline » attendue" });

const coordinatorLabel = (auth: AuthContext) => `coordination — ${auth.user.name} pour le médecin`;

async function holderCapacity(req: Request, auth: AuthContext, kind: "gp" | "team", id: string, body: z.infer<typeof capacityInput>) {
  const declared = await inTransaction((c) => declareCapacity(c, { kind, id, organisationId: auth.user.organisation.id }, body, { userId: auth.user.id, label: coordinatorLabel(auth), ip: req.ip }));
  publish.boardStale(ioOf(req), auth.user.organisation.id, "capacity");
  return declared;
}

export const matchingRoutes = [
  defineRoute({
    method: "get",
    path: "/agent/proposals",
    summary: "Médecins et équipes proposés au patient tenu (places libres, profil accepté, distance)",
    action: "dialer:work",
    async handler({ auth }) {
      // One statement: the held patient, their context, live orientation and candidates.
      const { context, candidates, orientation, reorientReason } = await findCandidates(pgPool(), { organisationId: auth.user.organisation.id, heldBy: auth.user.id });
      return { body: { candidates, orientation, reorientReason, maxDistanceKm: context.maxDistanceKm, located: context.lat !== null } };
    },
  }),
  defineRoute({
    method: "post",
    path: "/agent/orientations",
    summary: "Réserve une place pour le patient tenu chez un médecin ou une équipe",
    action: "dialer:work",
    body: z.object({ kind: holderKind, id: z.uuid({ message: "identifiant invalide" }) }),
    async handler({ req, auth, body }) {
      const booked = await inTransaction((c) => bookOrientation(c, { id: auth.user.id, organisationId: auth.user.organisation.id }, body));
      publish.boardStale(ioOf(req), auth.user.organisation.id, "orientation");
      return { status: 201, body: booked };
    },
  }),
  defineRoute({
    method: "get",
    path: "/gps",
    summary: "Annuaire des médecins de l'organisation (commune, équipe, capacité, ALD), avec recherche par nom, commune, équipe ou RPPS",
    action: "gp:list",
    query: z.object({
      q: z.string().trim().max(200).default(""),
      limit: z.coerce.number().int().min(1).max(1000).default(200),
    }),
    async handler({ auth, query }) {
      return { body: await listGps(pgPool(), auth.user.organisation.id, query.q, query.limit) };
    },
  }),
  defineRoute({
    method: "get",
    path: "/teams",
    summary: "Équipes (MSP) de l'organisation : capacité, places prises, médecins",
    action: "gp:list",
    async handler({ auth }) {
      const { rows } = await pgPool().query(
        `SELECT t."id", t."name", t."inseeCode", c."name" AS "commune", t."email", t."acceptsNew", t."capacity", t."taken", t."acceptsAld", t."capacityDeclaredAt",
                (SELECT count(*)::int FROM "Gp" g WHERE g."teamId" = t."id") AS "doctors"
         FROM "Team" t LEFT JOIN "Commune" c ON c."inseeCode" = t."inseeCode" WHERE t."organisationId" = $1 ORDER BY t."name"`, [auth.user.organisation.id]);
      return { body: rows };
    },
  }),
  ...(["gp", "team"] as const).map((kind) =>
    defineRoute({
      method: "put",
      path: kind === "gp" ? "/gps/:id/capacity" : "/teams/:id/capacity",
      summary: `Déclare la capacité d'${kind === "gp" ? "un médecin" : "une équipe"} pour son compte (journalisé)`,
      action: "orientation:answer",
      params: idParams,
      body: capacityInput,
      async handler({ req, auth, params, body }) {
        return { body: await holderCapacity(req, auth, kind, params.id, body) };
      },
    })),
  defineRoute({
    method: "post",
    path: "/links",
    summary: "Crée un lien signé, à durée limitée et à usage unique (capacité ou orientations) pour un médecin ou une équipe",
    action: "gplink:manage",
    body: z.object({
      kind: holderKind,
      id: z.uuid({ message: "identifiant invalide" }),
      purpose: z.enum(["capacity", "orientations"], { message: "« capacity » ou « orientations » attendu" }),
      validDays: z.number().int().min(1, "1 jour au moins").max(90, "90 jours au plus").default(30),
    }),
    async handler({ req, auth, body }) {
      const link = await inTransaction((c) => createGpLink(c, { kind: body.kind, id: body.id, organisationId: auth.user.organisation.id }, body, { id: auth.user.id, ip: req.ip }));
      return { status: 201, body: { ...link, canEmail: mailer() !== null } };
    },
  }),
  defineRoute({
    method: "get",
    path: "/links",
    summary: "Liens des médecins et équipes (sans les jetons)",
    action: "gplink:manage",
    query: z.object({ kind: holderKind.optional(), id: z.uuid().optional() }),
    async handler({ auth, query }) {
      const { rows } = await pgPool().query(
        `SELECT l."id", l."purpose", l."expiresAt", l."revokedAt", l."createdAt", l."lastUsedAt", l."gpId", l."teamId",
                coalesce('Dr ' || g."lastName", t."name") AS "holderName"
         FROM "GpLink" l LEFT JOIN "Gp" g ON g."id" = l."gpId" LEFT JOIN "Team" t ON t."id" = l."teamId"
         WHERE l."organisationId" = $1 AND ($2::uuid IS NULL OR (CASE WHEN $3 = 'team' THEN l."teamId" ELSE l."gpId" END) = $2::uuid)
         ORDER BY l."createdAt" DESC LIMIT 500`,
        [auth.user.organisation.id, query.id ?? null, query.kind ?? "gp"]);
      return { body: rows };
    },
  }),
  defineRoute({
    method: "post",
    path: "/links/:id/send",
    summary: "Envoie le lien par e-mail (serveur SMTP configuré) à l'adresse connue du médecin ou de l'équipe, ou à celle indiquée",
    action: "gplink:manage",
    params: idParams,
    body: z.object({ email: z.email({ message: "adresse e-mail invalide" }).optional() }),
    async handler({ req, auth, params, body }) {
      return { body: await inTransaction((c) => sendGpLink(c, { organisationId: auth.user.organisation.id, userId: auth.user.id, ip: req.ip }, params.id, body.email ?? null)) };
    },
  }),
  defineRoute({
    method: "post",
    path: "/links/:id/revoke",
    summary: "Désactive un lien",
    action: "gplink:manage",
    params: idParams,
    async handler({ req, auth, params }) {
      const { rowCount } = await pgPool().query(`UPDATE "GpLink" SET "revokedAt" = coalesce("revokedAt", now()) WHERE "id" = $1 AND "organisationId" = $2`, [params.id, auth.user.organisation.id]);
      if (!rowCount) throw errors.notFound("Lien");
      await db().$transaction((tx) => writeAudit(tx, { action: "gplink.revoke", organisationId: auth.user.organisation.id, actorUserId: auth.user.id, ip: req.ip, targetType: "gplink", targetId: params.id }));
    },
  }),
  defineRoute({
    method: "get",
    path: "/orientations",
    summary: "Orientations de l'organisation (à suivre : en attente, expirées, refusées)",
    action: "orientation:list",
    query: z.object({
      status: z.enum(["reserved", "confirmed", "declined", "expired", "cancelled"]).optional(),
      campaignId: z.uuid().optional(),
    }),
    async handler({ req, auth, query }) {
      const identity = auth.user.role === "coordinator";
      const { rows } = await pgPool().query(
        `SELECT o."id", o."status", o."basis", o."distanceKm", o."reservedAt", o."expiresAt", o."answeredAt", o."answeredByLabel", o."declineReason",
                o."campaignId", o."patientId", o."gpId", o."teamId", coalesce('Dr ' || g."lastName" || coalesce(' ' || g."firstName", ''), t."name") AS "holderName",
                ${identity ? `p."lastName", p."firstName",` : ""} p."inseeCode", p."ald"
         FROM "Orientation" o JOIN "Patient" p ON p."id" = o."patientId" LEFT JOIN "Gp" g ON g."id" = o."gpId" LEFT JOIN "Team" t ON t."id" = o."teamId"
         WHERE o."organisationId" = $1 AND ($2::text IS NULL OR o."status"::text = $2) AND ($3::uuid IS NULL OR o."campaignId" = $3)
         ORDER BY o."reservedAt" DESC LIMIT 1000`,
        [auth.user.organisation.id, query.status ?? null, query.campaignId ?? null]);
      if (identity && rows.length) {
        await pgPool().query(
          `INSERT INTO "AuditLog" ("organisationId", "actorUserId", "action", "targetType", "targetId", "ip", "details")
           SELECT $1, $2, 'patient.identity.read', 'patient', pid, $3, '{"via":"orientations"}'::jsonb FROM unnest($4::text[]) AS pid`,
          [auth.user.organisation.id, auth.user.id, req.ip ?? null, [...new Set(rows.map((r) => r.patientId as string))]]);
      }
      return { body: rows };
    },
  }),
  defineRoute({
    method: "post",
    path: "/orientations/:id/answer",
    summary: "Confirme ou refuse une orientation pour le compte du médecin ou de l'équipe (journalisé)",
    action: "orientation:answer",
    params: idParams,
    body: answerInput,
    async handler({ req, auth, params, body }) {
      const who = { organisationId: auth.user.organisation.id, userId: auth.user.id, label: coordinatorLabel(auth), ip: req.ip };
      const answered = await inTransaction((c) => answerOrientation(c, who, params.id, body));
      publish.boardStale(ioOf(req), who.organisationId, "orientation");
      return { body: answered };
    },
  }),
];
