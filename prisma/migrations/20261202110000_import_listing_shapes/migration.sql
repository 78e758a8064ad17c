-- Listings as funds' tools write them: Excel's « sep=; » first line, a title above the header, a workbook opening on a
-- notice sheet. What detection found is kept with the import, for the run (which line is the header, which sheet) and for
-- the report (what was not imported, and why).
ALTER TABLE "Import" ADD COLUMN "delimiterDeclared" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Import" ADD COLUMN "headerLine" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "Import" ADD COLUMN "sheetIndex" INTEGER;
ALTER TABLE "Import" ADD COLUMN "sheetName" TEXT;
ALTER TABLE "Import" ADD COLUMN "otherSheets" JSONB;
