// The médecin traitant declarations for the fund (coordinator): pending list, batches, the file
// to send, and the fund's answers.
import { z } from "zod";
import { errors } from "../errors.ts";
import { defineRoute } from "../http/defineRoute.ts";
import { readUpload } from "../http/readUpload.ts";
import { inTransaction, pgPool } from "../pgPool.ts";
import { writeIdentityReads } from "../audit/writeIdentityReads.ts";
import { readTable } from "../imports/parsing/readTable.ts";
import { answerColumnsNamed } from "./parseAnswerRow.ts";
import { listPendingDeclarations } from "./listPendingDeclarations.ts";
import { createDeclarationBatch } from "./createDeclarationBatch.ts";
import { countBatch, writeDeclarationFile } from "./writeDeclarationFile.ts";
import { listDeclarationBatches } from "./listDeclarationBatches.ts";
import { applyDeclarationAnswers } from "./applyDeclarationAnswers.ts";

const batchIdParams = z.object({ id: z.uuid({ message: "identifiant de lot invalide" }) });

export const declarationRoutes = [
  defineRoute({
    method: "get",
    path: "/declarations/pending",
    summary: "Déclarations de médecin traitant à envoyer à la caisse (orientation confirmée, consentement accordé)",
    action: "declaration:manage",
    query: z.object({
      limit: z.coerce.number().int().min(1).max(1000).default(200),
      offset: z.coerce.number().int().min(0).default(0),
    }),
    async handler({ req, auth, query }) {
      const pending = await listPendingDeclarations(pgPool(), auth.user.organisation.id, query);
      await writeIdentityReads(pgPool(), { organisationId: auth.user.organisation.id, actorUserId: auth.user.id, ip: req.ip, via: "declarations_pending" }, pending.items.map((p) => p.patientId));
      return { body: pending };
    },
  }),
  defineRoute({
    method: "post",
    path: "/declarations/batches",
    summary: "Crée un lot avec toutes les déclarations en attente ; 409 s'il n'y en a aucune",
    action: "declaration:manage",
    async handler({ req, auth }) {
      const batch = await inTransaction((c) => createDeclarationBatch(c, { organisationId: auth.user.organisation.id, userId: auth.user.id, ip: req.ip }));
      return { status: 201, body: batch };
    },
  }),
  defineRoute({
    method: "get",
    path: "/declarations/batches",
    summary: "Lots envoyés à la caisse, avec leurs comptes par statut et les déclarations rejetées (motif)",
    action: "declaration:manage",
    async handler({ req, auth }) {
      const batches = await listDeclarationBatches(pgPool(), auth.user.organisation.id);
      await writeIdentityReads(pgPool(), { organisationId: auth.user.organisation.id, actorUserId: auth.user.id, ip: req.ip, via: "declaration_batches" },
        batches.flatMap((b) => b.rejected.map((r) => r.patientId)));
      return { body: batches };
    },
  }),
  defineRoute({
    method: "get",
    path: "/declarations/batches/:id/file",
    summary: "Fichier des déclarations d'un lot pour la caisse (CSV « ; », dates jj/mm/aaaa), re-téléchargeable",
    action: "declaration:manage",
    params: batchIdParams,
    raw: true,
    async handler({ req, res, auth, params }) {
      const organisationId = auth.user.organisation.id;
      const count = await countBatch(pgPool(), organisationId, params.id);
      if (!count) throw errors.notFound("Lot de déclarations");
      await pgPool().query(
        `INSERT INTO "AuditLog" ("organisationId", "actorUserId", "action", "targetType", "targetId", "ip", "details") VALUES ($1, $2, 'declaration.export', 'declaration_batch', $3, $4, $5)`,
        [organisationId, auth.user.id, params.id, req.ip ?? null, { count }],
      );
      res.attachment(`declarations-mt-${params.id}.csv`);
      res.setHeader("Content-Type", "text/csv; charset=utf-8");
      await writeDeclarationFile(pgPool(), organisationId, params.id, res, { userId: auth.user.id, ip: req.ip });
      res.end();
    },
  }),
  defineRoute({
    method: "post",
    path: "/declarations/answers",
    summary: "Dépose le fichier de retour de la caisse (multipart, champ « file ») ; compte rendu ligne à ligne",
    upload: true,
    action: "declaration:manage",
    async handler({ req, auth }) {
      const table = await readUpload(req, (file) => readTable(file, answerColumnsNamed));
      const report = await inTransaction((c) => applyDeclarationAnswers(c, { organisationId: auth.user.organisation.id, userId: auth.user.id, ip: req.ip }, table));
      return { body: report };
    },
  }),
];
