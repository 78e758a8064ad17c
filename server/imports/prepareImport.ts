// Before an import runs: detect format, encoding, delimiter and the header mapping (or reuse
// the organisation's saved mapping for these headers). Sure → queued; unsure → the coordinator
// sees a preview and fixes the mapping.
import type { Db } from "../db.ts";
import { errors } from "../errors.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { pgPool } from "../pgPool.ts";
import { headOfImportFile, openImportFile } from "./openImportFile.ts";
import { mapHeaders, mappingProblem, missingRequiredFields, type GpMapping, type PatientMapping } from "./parsing/mapHeaders.ts";
import type { ListingFormat } from "./parsing/readRows.ts";
import { HeaderLineNotInHead, readListingHead, type ListingHead } from "./parsing/readListingHead.ts";
import { HEADER_SEARCH_ROWS, linesAboveHeader } from "./parsing/findHeader.ts";
import { normaliseText } from "./parsing/normaliseText.ts";
import { classifyRow } from "./parsing/classifyRow.ts";
import { maskNirCells } from "./maskNirCells.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import { otherSheet, type OtherSheet } from "./detectionNotes.ts";

export type Mapping = PatientMapping | GpMapping;
const PREVIEW_ROWS = 5;

export const headerSignature = (headers: string[]) => headers.map(normaliseText).join("|");
const listingKind = (kind: "patients" | "gps") => (kind === "patients" ? "patient" : "gp");

export interface Preview {
  headers: string[];
  /** The header's line in the file (Excel's row in a workbook): the lines above it are not imported. */
  headerLine: number;
  /** XLSX: the worksheet read. */
  sheet: string | null;
  /** The first rows, their NIR masked, while the coordinator may need them to fix the mapping; none once the import is
   * queued (nobody sees them again, and they would outlive the retention of the file and the erasure of the patients). */
  rows: { line: number; cells: string[] }[];
  /** The rows read above the header (a title, blank lines), NIR masked, kept while `rows` are: the coordinator may
   * choose one of them, or of `rows`, as the header instead. */
  above: { line: number; cells: string[] }[];
  proposal: Mapping;
  missingRequired: string[];
  unmapped: string[];
  /** Why detection did not run the import by itself, in French (what is missing is in `missingRequired`). */
  unsure: string[];
  savedMapping: boolean;
  /** Lines in the whole file, estimated from the first chunk (for the progress bar); null for XLSX. */
  estimatedLines: number | null;
}

/**
 * `acceptUnsure`: run as soon as the required columns are found (the CLI has nobody to ask), unless a column that may
 * decide who is called was not recognised: that one is accepted only with `ignoreUnrecognised` as well.
 */
export async function prepareImport(prisma: Db, importId: string, { acceptUnsure = false, ignoreUnrecognised = false, headerLine }: { acceptUnsure?: boolean; ignoreUnrecognised?: boolean; headerLine?: number } = {}) {
  const imp = await prisma.import.findUniqueOrThrow({ where: { id: importId } });
  if (headerLine !== undefined && imp.status !== "uploaded") throw headerFixed();
  // The header (below a title, on the workbook's first sheet that has one, or the coordinator's line) and the rows under
  // it: a head of the file.
  const head = await readListingHead(openImportFile(pgPool(), importId), listingKind(imp.kind), PREVIEW_ROWS, { headerLine })
    .catch((err: unknown) => {
      throw err instanceof HeaderLineNotInHead ? errors.badRequest(err.message) : err;
    });
  const { format, header } = head;
  // Nothing to import: the import fails with its reason, and its bytes are not kept.
  const onlyHeader = header && !head.readError && head.ended && head.below.every((r) => classifyRow(r.cells) !== null);
  const nothing = !header ? head.readError ?? "Aucune ligne lisible dans le fichier."
    : onlyHeader ? "Le fichier ne contient que la ligne d'en-tête : aucune ligne à importer." : tooWide(header.cells);
  if (nothing || !header) {
    await dropUnimportable(prisma, importId, nothing!);
    return { ready: false, failed: nothing, missingRequired: [], unrecognised: [], sheetProblem: null };
  }
  const headers = header.cells;
  const rows = head.below.slice(0, PREVIEW_ROWS);
  const saved = await prisma.importMapping.findUnique({
    where: { organisationId_kind_headerSignature: { organisationId: imp.organisationId, kind: imp.kind, headerSignature: headerSignature(headers) } },
  });
  const detected = mapHeaders(headers, listingKind(imp.kind) as "patient");
  const proposal = (saved?.mapping as Mapping | undefined) ?? detected.mapping;
  const missingRequired = missingRequiredFields(proposal, listingKind(imp.kind));
  // A head of pure ASCII says nothing of the encoding, and needs not: each line is decoded as UTF-8 or Windows-1252 by
  // its own bytes (createTextDecoder), so nothing is stored for it and nothing asked of the coordinator.
  const asciiHead = format?.kind === "csv" && !format.encodingConfident && format.encoding === "utf-8";
  const formatSure = format?.kind === "xlsx" || ((asciiHead || format?.encodingConfident !== false) && format?.delimiterConfident !== false);
  // A saved mapping was made for these very headers: the coordinator decided about every column, those left aside too.
  const unrecognised = saved ? [] : detected.decisiveUnmapped.map((d) => d.reason);
  const above = rowsAboveDoubt(head, header.line);
  const sheetProblem = noSheetWithHeader(head);
  // A header the coordinator chose: they are looking at the preview, and launch the import from it (the CLI's runs).
  const ready = (headerLine === undefined || acceptUnsure) && missingRequired.length === 0 && (((Boolean(saved) || (detected.confident && formatSure)) && !above)
    || (acceptUnsure && (ignoreUnrecognised || unrecognised.length === 0)));
  const unsure = [...(sheetProblem ? [sheetProblem] : []), ...(above ? [above] : []), ...(saved ? [] : [...detected.unsure, ...formatDoubts(format, asciiHead)])];
  const otherSheets: OtherSheet[] = head.sheetsWithoutHeader.filter((s) => s !== head.sheet).map((s) => otherSheet(s, false));
  const preview: Preview = {
    headers,
    headerLine: header.line,
    sheet: head.sheet?.name ?? null,
    rows: ready ? [] : rows.map((r) => ({ line: r.line, cells: maskNirCells(r.cells, proposal) })),
    above: ready ? [] : head.above.map((r) => ({ line: r.line, cells: maskNirCells(r.cells, proposal) })),
    proposal, missingRequired, unmapped: detected.unmapped, unsure, savedMapping: Boolean(saved),
    estimatedLines: format?.kind === "csv" ? await estimateLines(importId, Number(imp.fileSize)) : null,
  };
  // Only an import still waiting: a mapping confirmed meanwhile (another tab) has queued it, and it stays so.
  const { count } = await prisma.import.updateMany({
    where: { id: importId, status: "uploaded" },
    data: {
      format: format?.kind ?? null,
      encoding: format?.kind === "csv" && !asciiHead ? format.encoding : null,
      delimiter: format?.kind === "csv" ? format.delimiter : null,
      delimiterDeclared: format?.kind === "csv" && Boolean(format.delimiterDeclared),
      headerLine: header.line,
      sheetIndex: head.sheet?.index ?? null,
      sheetName: head.sheet?.name ?? null,
      ...(head.sheet && { otherSheets: otherSheets as unknown as Prisma.InputJsonArray }),
      mapping: proposal as Prisma.InputJsonObject,
      preview: preview as unknown as Prisma.InputJsonObject,
      status: ready ? "queued" : "uploaded",
    },
  });
  if (!count) throw headerFixed();
  return { ready, failed: null, missingRequired, unrecognised, sheetProblem };
}

/** A listing has tens of columns; thousands are another file, or a file read with the wrong delimiter. */
export const MAX_COLUMNS = 500;
function tooWide(headers: readonly string[]): string | null {
  const named = headers.findLastIndex((h) => h.trim() !== "") + 1;
  if (named <= MAX_COLUMNS) return null;
  return `L'en-tête a ${named.toLocaleString("fr-FR")} colonnes : un listing en a quelques dizaines (${MAX_COLUMNS} au plus). Vérifiez que c'est le bon fichier, enregistré en CSV ou XLSX avec une colonne par information.`;
}

const headerFixed = () => errors.conflict("Cet import est déjà lancé : sa ligne d'en-tête ne peut plus changer.");

/** Rows above the header that look like rows of the listing (three cells filled or more, where a title has one): the
 * header may have been found too low, and they would not be imported. The coordinator looks first, in French. */
function rowsAboveDoubt(head: ListingHead, headerLine: number): string | null {
  const filled = (cells: string[]) => cells.filter((c) => c.trim() !== "").length;
  if (!head.above.some((r) => filled(r.cells) >= 3)) return null;
  const first = head.above[0].line;
  const { lines, plural } = linesAboveHeader(first, headerLine);
  return `${lines}, au-dessus de l'en-tête (ligne ${headerLine}), ${plural ? "ne seront pas importées" : "ne sera pas importée"} : vérifiez dans l'aperçu que l'en-tête est la bonne ligne et qu'aucun patient n'est au-dessus`;
}

/** A workbook of several sheets none of which has a recognisable header in its first rows, in French. */
function noSheetWithHeader(head: ListingHead): string | null {
  if (head.recognised > 0 || head.sheetsWithoutHeader.length < 2) return null;
  const names = head.sheetsWithoutHeader.map((s) => `« ${s.name} »`).join(", ");
  return `aucune feuille du classeur (${names}) n'a de ligne d'en-tête reconnue dans ses ${HEADER_SEARCH_ROWS} premières lignes : `
    + `la première feuille${head.sheet?.index ? " visible" : ""}, « ${(head.sheet ?? head.sheetsWithoutHeader[0]).name} », est proposée avec sa première ligne comme en-tête`;
}

/** A file that will not be imported (nothing to import; the CLI's columns not recognised): the import fails with its
 * reason and the file's bytes are not kept. */
export async function dropUnimportable(prisma: Db, importId: string, reason: string) {
  await prisma.import.update({ where: { id: importId }, data: { status: "failed", finishedAt: new Date(), error: reason } });
  await pgPool().query(`DELETE FROM "ImportChunk" WHERE "importId" = $1`, [importId]);
}

/**
 * The coordinator's mapping: checked against the file's columns and the required fields; `save`: kept for the
 * organisation's next files with these headers, under the name of who saved it (audited).
 */
export async function confirmMapping(prisma: Db, importId: string, mapping: Mapping, save: { by: { userId: string; ip?: string } } | false) {
  const imp = await prisma.import.findUniqueOrThrow({ where: { id: importId } });
  if (imp.status !== "uploaded") throw errors.conflict("Cet import est déjà lancé : sa correspondance de colonnes ne peut plus changer.");
  const preview = imp.preview as unknown as Preview;
  const columns = preview.headers.length;
  const problem = mappingProblem(mapping as Record<string, number | number[]>, listingKind(imp.kind), preview.headers);
  if (problem) throw errors.badRequest(`Correspondance invalide : ${problem}.`);
  for (const [field, col] of Object.entries(mapping)) {
    for (const c of [col].flat() as number[]) {
      if (c >= columns) throw errors.badRequest(`Colonne ${c + 1} inexistante pour « ${field} » : le fichier a ${columns} colonnes.`);
    }
  }
  const missing = missingRequiredFields(mapping, listingKind(imp.kind));
  if (missing.length) throw errors.badRequest(`Correspondance incomplète : il manque ${missing.join(", ")}.`);
  await prisma.$transaction(async (tx) => {
    await tx.import.update({
      where: { id: importId },
      data: { mapping: mapping as Prisma.InputJsonObject, status: "queued", preview: { ...preview, rows: [], above: [] } as unknown as Prisma.InputJsonObject },
    });
    if (save) {
      const signature = headerSignature(preview.headers);
      const saved = await tx.importMapping.upsert({
        where: { organisationId_kind_headerSignature: { organisationId: imp.organisationId, kind: imp.kind, headerSignature: signature } },
        create: { organisationId: imp.organisationId, kind: imp.kind, name: imp.fileName, headerSignature: signature, mapping: mapping as Prisma.InputJsonObject, savedById: save.by.userId },
        update: { mapping: mapping as Prisma.InputJsonObject, savedById: save.by.userId, savedAt: new Date() },
      });
      await writeAudit(tx, { action: "import_mapping.save", organisationId: imp.organisationId, actorUserId: save.by.userId, ip: save.by.ip ?? null, targetType: "import_mapping", targetId: saved.id, details: { importId, fileName: imp.fileName } });
    }
  });
}

/** Why the file's format was not taken as sure, in French. */
function formatDoubts(format: ListingFormat | undefined, asciiHead: boolean): string[] {
  if (format?.kind !== "csv") return [];
  const doubts: string[] = [];
  if (!format.encodingConfident && !asciiHead) doubts.push(`l'encodage du fichier n'est pas certain (lu comme ${format.encoding}) : vérifiez les accents de l'aperçu`);
  if (!format.delimiterConfident) doubts.push("le séparateur de colonnes n'est pas certain : vérifiez que l'aperçu a bien une valeur par colonne");
  return doubts;
}

async function estimateLines(importId: string, fileSize: number): Promise<number> {
  const head = await headOfImportFile(pgPool(), importId);
  let newlines = 0;
  for (const byte of head) if (byte === 0x0a) newlines += 1;
  return head.length ? Math.max(1, Math.round((newlines / head.length) * fileSize)) : 0;
}
