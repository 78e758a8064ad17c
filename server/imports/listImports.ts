// The imports a coordinator finds again after a reload (« Imports précédents »): a campaign's listings, or the
// organisation's GP roster imports. Newest first, keyset-paged by (createdAt, id): the next page starts after the
// last import of the previous one, compared in PostgreSQL (its microseconds, not a rounded JavaScript date).
import type { Tx } from "../db.ts";
import { errors } from "../errors.ts";
import type { ImportKind, ImportStatus } from "../generated/prisma/client.ts";

/** Whose imports: a campaign's patient listings (`campaignId`), or the organisation's GP roster (`campaignId: null`). */
export interface ImportScope {
  organisationId: string;
  kind: ImportKind;
  campaignId: string | null;
}

export interface ImportListItem {
  id: string;
  fileName: string;
  status: ImportStatus;
  /** The uploader's current name; the label of a scripted upload (CLI); null when unknown. */
  uploadedBy: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  counts: { rows: number; accepted: number; merged: number; rejected: number };
}

export interface ImportPage {
  items: ImportListItem[];
  /** The id to give as `before` for the older imports; null when there are none. */
  nextBefore: string | null;
}

export async function listImports(prisma: Tx, scope: ImportScope, page: { limit: number; before?: string }): Promise<ImportPage> {
  const where = { organisationId: scope.organisationId, kind: scope.kind, campaignId: scope.campaignId };
  // The cursor must be an import of this very list: another organisation's id would otherwise page by its date.
  if (page.before && !(await prisma.import.findFirst({ where: { ...where, id: page.before }, select: { id: true } }))) {
    throw errors.badRequest("Curseur « before » invalide : cet import n'appartient pas à cette liste.");
  }
  const rows = await prisma.import.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    ...(page.before ? { cursor: { id: page.before }, skip: 1 } : {}),
    take: page.limit + 1,
    select: {
      id: true, fileName: true, status: true, createdById: true, createdByLabel: true, createdAt: true, finishedAt: true,
      rowsRead: true, accepted: true, merged: true, rejected: true,
    },
  });
  const shown = rows.slice(0, page.limit);
  const userIds = [...new Set(shown.flatMap((r) => (r.createdById ? [r.createdById] : [])))];
  const users = userIds.length ? await prisma.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } }) : [];
  const nameOf = new Map(users.map((u) => [u.id, u.name]));
  return {
    items: shown.map((r) => ({
      id: r.id,
      fileName: r.fileName,
      status: r.status,
      uploadedBy: (r.createdById && nameOf.get(r.createdById)) ?? r.createdByLabel ?? null,
      createdAt: r.createdAt,
      finishedAt: r.finishedAt,
      counts: { rows: r.rowsRead, accepted: r.accepted, merged: r.merged, rejected: r.rejected },
    })),
    nextBefore: rows.length > page.limit ? shown[shown.length - 1].id : null,
  };
}
