// The organisation's opposition register (coordinator): list, one patient, import of a register.
import { z } from "zod";
import { defineRoute } from "../http/defineRoute.ts";
import { readUpload } from "../http/readUpload.ts";
import { inTransaction, pgPool } from "../pgPool.ts";
import { writeIdentityReads } from "../audit/writeIdentityReads.ts";
import { readTable } from "../imports/parsing/readTable.ts";
import { recognisedColumns } from "../imports/parsing/findHeader.ts";
import { importOppositions } from "./importOppositions.ts";
import { listOppositions } from "./listOppositions.ts";
import { addOpposition } from "./addOpposition.ts";

export const oppositionRoutes = [
  defineRoute({
    method: "get",
    path: "/oppositions",
    summary: "Registre des oppositions de l'organisation (plus récentes d'abord, par page)",
    action: "opposition:manage",
    query: z.object({
      page: z.coerce.number().int().min(1).default(1),
      pageSize: z.coerce.number().int().min(1).max(500).default(50),
    }),
    async handler({ req, auth, query }) {
      const list = await listOppositions(pgPool(), auth.user.organisation.id, query);
      await writeIdentityReads(pgPool(), { organisationId: auth.user.organisation.id, actorUserId: auth.user.id, ip: req.ip, via: "oppositions" }, list.items.map((o) => o.patientId));
      return { body: list };
    },
  }),
  defineRoute({
    method: "post",
    path: "/oppositions",
    summary: "Inscrit un patient au registre des oppositions (201 ; 200 s'il y était déjà)",
    action: "opposition:manage",
    body: z.object({
      patientId: z.uuid({ message: "identifiant de patient invalide" }),
      comment: z.string().trim().max(2000).optional(),
    }),
    async handler({ req, auth, body }) {
      const result = await inTransaction((c) => addOpposition(c, { organisationId: auth.user.organisation.id, userId: auth.user.id, ip: req.ip }, body));
      return { status: result.created ? 201 : 200, body: result };
    },
  }),
  defineRoute({
    method: "post",
    path: "/oppositions/imports",
    summary: "Importe un registre d'oppositions (multipart, champ « file ») ; compte rendu ligne à ligne",
    upload: true,
    action: "opposition:manage",
    async handler({ req, auth }) {
      const table = await readUpload(req, (file) => readTable(file, (cells) => recognisedColumns(cells, "patient")));
      const report = await inTransaction((c) => importOppositions(c, { organisationId: auth.user.organisation.id, userId: auth.user.id, ip: req.ip }, table));
      return { body: report };
    },
  }),
];
