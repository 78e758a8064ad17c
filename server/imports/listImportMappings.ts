// The organisation's saved column mappings, as prepareImport applies them: a file whose header row has the same
// signature (each header folded by normaliseText: no case, accents or punctuation) is read with that mapping and
// runs without asking the coordinator. Shown column by column: which header goes to which field, or is left aside.
import type { Tx } from "../db.ts";
import type { ImportKind } from "../generated/prisma/client.ts";

export interface SavedMappingColumn {
  /** 1 for the file's first column, as a spreadsheet counts them. */
  column: number;
  /** The header as it is matched: folded (« date de naissance » for « Date de naissance »). */
  header: string;
  /** The field this column is read into; null: left aside (not imported). */
  field: string | null;
}

export interface SavedMapping {
  id: string;
  kind: ImportKind;
  /** The file it was first saved from. */
  fileName: string;
  createdAt: Date;
  /** When it was last saved, and by whom (null: saved before this was kept, or the user since deleted). */
  savedAt: Date;
  savedBy: string | null;
  columns: SavedMappingColumn[];
}

/** The header row a signature was made from (headerSignature joins folded headers with « | », which folding never keeps). */
export const headersOfSignature = (signature: string): string[] => signature.split("|");

export async function listImportMappings(prisma: Tx, organisationId: string, kind: ImportKind): Promise<SavedMapping[]> {
  const rows = await prisma.importMapping.findMany({ where: { organisationId, kind }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], include: { savedBy: { select: { name: true } } } });
  return rows.map((m) => {
    const fieldOf = new Map<number, string>();
    for (const [field, cols] of Object.entries(m.mapping as Record<string, number | number[]>)) for (const c of [cols].flat()) fieldOf.set(c, field);
    return {
      id: m.id,
      kind: m.kind,
      fileName: m.name,
      createdAt: m.createdAt,
      savedAt: m.savedAt,
      savedBy: m.savedBy?.name ?? null,
      columns: headersOfSignature(m.headerSignature).map((header, i) => ({ column: i + 1, header, field: fieldOf.get(i) ?? null })),
    };
  });
}
