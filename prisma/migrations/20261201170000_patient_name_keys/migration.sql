-- A person's name keys (folded birth name, and name in use, each with first name and birth date): a listing that keys the
-- person differently from an earlier one (with or without NIR, birth name or fund identifier) merges into them instead of
-- creating a second patient, who could then be called twice. Patients keyed by name so far get the key they were merged
-- under (the birth name's when they had one); the import sets both from now on.
ALTER TABLE "Patient" ADD COLUMN "birthKey" TEXT, ADD COLUMN "usageKey" TEXT;
UPDATE "Patient" SET
  "birthKey" = CASE WHEN "birthName" IS NOT NULL THEN substr("matchKey", 4) END,
  "usageKey" = CASE WHEN "birthName" IS NULL THEN substr("matchKey", 4) END
WHERE "matchKey" LIKE 'pk:%';
CREATE INDEX "Patient_organisationId_birthKey_idx" ON "Patient"("organisationId", "birthKey");
CREATE INDEX "Patient_organisationId_usageKey_idx" ON "Patient"("organisationId", "usageKey");
