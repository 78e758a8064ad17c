-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "closedAt" TIMESTAMPTZ(6);

-- AlterTable
ALTER TABLE "Organisation" ADD COLUMN     "retentionMonths" INTEGER NOT NULL DEFAULT 24;

-- AlterTable
ALTER TABLE "Patient" ADD COLUMN     "erasedAt" TIMESTAMPTZ(6);

-- ===== Hand-written =====

-- Retention counts from the day a campaign was closed: the database stamps it, whoever closes it.
CREATE FUNCTION stamp_campaign_closed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."status" = 'closed' AND (TG_OP = 'INSERT' OR OLD."status" IS DISTINCT FROM 'closed') THEN
    NEW."closedAt" := COALESCE(NEW."closedAt", now());
  ELSIF NEW."status" <> 'closed' THEN
    NEW."closedAt" := NULL;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "Campaign_closed_at" BEFORE INSERT OR UPDATE OF "status" ON "Campaign" FOR EACH ROW EXECUTE FUNCTION stamp_campaign_closed();

-- Campaigns closed before this migration: their last update is the best known closing date.
UPDATE "Campaign" SET "closedAt" = "updatedAt" WHERE "status" = 'closed' AND "closedAt" IS NULL;

-- The retention sweep walks the organisation's patients not yet erased.
CREATE INDEX "Patient_not_erased" ON "Patient" ("organisationId", "id") WHERE "erasedAt" IS NULL;
