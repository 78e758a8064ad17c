-- CreateEnum
CREATE TYPE "ConsentPurpose" AS ENUM ('contact', 'share_identity', 'mt_declaration');

-- CreateEnum
CREATE TYPE "ConsentChannel" AS ENUM ('phone', 'letter', 'online');

-- CreateEnum
CREATE TYPE "OrientationStatus" AS ENUM ('reserved', 'confirmed', 'declined', 'expired', 'cancelled');

-- CreateEnum
CREATE TYPE "GpLinkPurpose" AS ENUM ('capacity', 'orientations');

-- CreateEnum
CREATE TYPE "DeclarationStatus" AS ENUM ('sent', 'declared', 'rejected');

-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "maxDistanceKm" INTEGER NOT NULL DEFAULT 15,
ADD COLUMN     "reservationDays" INTEGER NOT NULL DEFAULT 14;

-- AlterTable
ALTER TABLE "Enrolment" ADD COLUMN     "reorientReason" TEXT;

-- AlterTable
ALTER TABLE "Gp" ADD COLUMN     "capacityDeclaredAt" TIMESTAMPTZ(6),
ADD COLUMN     "taken" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Team" ADD COLUMN     "acceptsAld" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "acceptsNew" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "capacity" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "capacityDeclaredAt" TIMESTAMPTZ(6),
ADD COLUMN     "lat" DOUBLE PRECISION,
ADD COLUMN     "lng" DOUBLE PRECISION,
ADD COLUMN     "taken" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "ScriptVersion" (
    "id" UUID NOT NULL,
    "campaignId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "body" TEXT NOT NULL,
    "questions" JSONB NOT NULL,
    "createdById" UUID,
    "createdAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ScriptVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Consent" (
    "id" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "patientId" UUID NOT NULL,
    "campaignId" UUID,
    "purpose" "ConsentPurpose" NOT NULL,
    "granted" BOOLEAN NOT NULL,
    "channel" "ConsentChannel" NOT NULL,
    "recordedById" UUID,
    "recordedByLabel" TEXT NOT NULL,
    "scriptVersionId" UUID,
    "attemptId" UUID,
    "at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Consent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Opposition" (
    "patientId" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "source" TEXT NOT NULL,
    "recordedById" UUID,
    "attemptId" UUID,
    "importId" UUID,
    "comment" TEXT,
    "at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Opposition_pkey" PRIMARY KEY ("patientId")
);

-- CreateTable
CREATE TABLE "Orientation" (
    "id" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "campaignId" UUID NOT NULL,
    "enrolmentId" UUID NOT NULL,
    "patientId" UUID NOT NULL,
    "gpId" UUID,
    "teamId" UUID,
    "assignedGpId" UUID,
    "status" "OrientationStatus" NOT NULL DEFAULT 'reserved',
    "basis" TEXT NOT NULL,
    "distanceKm" DOUBLE PRECISION,
    "bookedById" UUID NOT NULL,
    "reservedAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(6) NOT NULL,
    "answeredAt" TIMESTAMPTZ(6),
    "answeredByLabel" TEXT,
    "answeredById" UUID,
    "declineReason" TEXT,

    CONSTRAINT "Orientation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GpLink" (
    "id" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "gpId" UUID,
    "teamId" UUID,
    "purpose" "GpLinkPurpose" NOT NULL,
    "expiresAt" TIMESTAMPTZ(6) NOT NULL,
    "revokedAt" TIMESTAMPTZ(6),
    "createdById" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMPTZ(6),

    CONSTRAINT "GpLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Declaration" (
    "id" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "orientationId" UUID NOT NULL,
    "batchId" UUID NOT NULL,
    "gpRpps" TEXT NOT NULL,
    "consentId" UUID NOT NULL,
    "status" "DeclarationStatus" NOT NULL DEFAULT 'sent',
    "sentAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentById" UUID NOT NULL,
    "answeredAt" TIMESTAMPTZ(6),
    "rejectReason" TEXT,

    CONSTRAINT "Declaration_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ScriptVersion_campaignId_version_key" ON "ScriptVersion"("campaignId", "version");

-- CreateIndex
CREATE INDEX "Consent_patientId_purpose_at_idx" ON "Consent"("patientId", "purpose", "at");

-- CreateIndex
CREATE INDEX "Opposition_organisationId_at_idx" ON "Opposition"("organisationId", "at");

-- CreateIndex
CREATE INDEX "Orientation_gpId_status_idx" ON "Orientation"("gpId", "status");

-- CreateIndex
CREATE INDEX "Orientation_teamId_status_idx" ON "Orientation"("teamId", "status");

-- CreateIndex
CREATE INDEX "Orientation_patientId_idx" ON "Orientation"("patientId");

-- CreateIndex
CREATE INDEX "Orientation_organisationId_status_expiresAt_idx" ON "Orientation"("organisationId", "status", "expiresAt");

-- CreateIndex
CREATE INDEX "GpLink_gpId_idx" ON "GpLink"("gpId");

-- CreateIndex
CREATE INDEX "GpLink_teamId_idx" ON "GpLink"("teamId");

-- CreateIndex
CREATE UNIQUE INDEX "Declaration_orientationId_key" ON "Declaration"("orientationId");

-- CreateIndex
CREATE INDEX "Declaration_organisationId_batchId_idx" ON "Declaration"("organisationId", "batchId");

-- CreateIndex
CREATE INDEX "Enrolment_patientId_idx" ON "Enrolment"("patientId");

-- AddForeignKey
ALTER TABLE "ScriptVersion" ADD CONSTRAINT "ScriptVersion_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Consent" ADD CONSTRAINT "Consent_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Consent" ADD CONSTRAINT "Consent_scriptVersionId_fkey" FOREIGN KEY ("scriptVersionId") REFERENCES "ScriptVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Opposition" ADD CONSTRAINT "Opposition_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Orientation" ADD CONSTRAINT "Orientation_enrolmentId_fkey" FOREIGN KEY ("enrolmentId") REFERENCES "Enrolment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Orientation" ADD CONSTRAINT "Orientation_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Orientation" ADD CONSTRAINT "Orientation_gpId_fkey" FOREIGN KEY ("gpId") REFERENCES "Gp"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Orientation" ADD CONSTRAINT "Orientation_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Orientation" ADD CONSTRAINT "Orientation_assignedGpId_fkey" FOREIGN KEY ("assignedGpId") REFERENCES "Gp"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GpLink" ADD CONSTRAINT "GpLink_gpId_fkey" FOREIGN KEY ("gpId") REFERENCES "Gp"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GpLink" ADD CONSTRAINT "GpLink_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Declaration" ADD CONSTRAINT "Declaration_orientationId_fkey" FOREIGN KEY ("orientationId") REFERENCES "Orientation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ===== Hand-written: rules the schema language cannot say (triggers, not CHECK constraints: see decision 003) =====

-- Consent is append-only: a withdrawal is a new record.
CREATE TRIGGER "Consent_append_only" BEFORE UPDATE OR DELETE ON "Consent" FOR EACH ROW EXECUTE FUNCTION refuse_audit_rewrite();
CREATE TRIGGER "Consent_no_truncate" BEFORE TRUNCATE ON "Consent" FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_rewrite();

-- The opposition register is the truth; Patient.optOut is the flag the dialer reads, set with it.
CREATE FUNCTION mark_patient_opposed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Patient" SET "optOut" = true, "updatedAt" = now() WHERE "id" = NEW."patientId" AND NOT "optOut";
  RETURN NEW;
END $$;
CREATE TRIGGER "Opposition_marks_patient" AFTER INSERT ON "Opposition" FOR EACH ROW EXECUTE FUNCTION mark_patient_opposed();

-- Rule 2: reserved + confirmed never exceed capacity. Orientation keeps the holder's "taken" count
-- (in the same transaction, under the holder's row lock); the holder refuses a count that grows past its capacity.
-- Lowering the capacity below the count is allowed: existing places are kept, new ones refused.
CREATE OR REPLACE FUNCTION enforce_gp_rules() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."capacity" < 0 THEN
    RAISE EXCEPTION 'Gp.capacity must be >= 0' USING ERRCODE = 'check_violation';
  END IF;
  IF NEW."taken" < 0 THEN
    RAISE EXCEPTION 'Gp.taken must be >= 0' USING ERRCODE = 'check_violation';
  END IF;
  IF TG_OP = 'UPDATE' AND NEW."taken" > OLD."taken" AND NEW."taken" > NEW."capacity" THEN
    RAISE EXCEPTION 'no_place_left' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE FUNCTION enforce_team_rules() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."capacity" < 0 OR NEW."taken" < 0 THEN
    RAISE EXCEPTION 'Team.capacity and Team.taken must be >= 0' USING ERRCODE = 'check_violation';
  END IF;
  IF TG_OP = 'UPDATE' AND NEW."taken" > OLD."taken" AND NEW."taken" > NEW."capacity" THEN
    RAISE EXCEPTION 'no_place_left' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "Team_rules" BEFORE INSERT OR UPDATE ON "Team" FOR EACH ROW EXECUTE FUNCTION enforce_team_rules();

CREATE FUNCTION enforce_orientation_rules() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW."gpId" IS NULL) = (NEW."teamId" IS NULL) THEN
    RAISE EXCEPTION 'Orientation needs exactly one of gpId, teamId' USING ERRCODE = 'check_violation';
  END IF;
  IF TG_OP = 'UPDATE' THEN
    IF NEW."gpId" IS DISTINCT FROM OLD."gpId" OR NEW."teamId" IS DISTINCT FROM OLD."teamId" OR NEW."patientId" <> OLD."patientId" THEN
      RAISE EXCEPTION 'Orientation % cannot change its patient or holder', OLD."id" USING ERRCODE = 'check_violation';
    END IF;
    IF OLD."status" IN ('declined', 'expired', 'cancelled') AND NEW."status" <> OLD."status" THEN
      RAISE EXCEPTION 'Orientation % has ended (%)', OLD."id", OLD."status" USING ERRCODE = 'check_violation';
    END IF;
    IF OLD."status" = 'confirmed' AND NEW."status" NOT IN ('confirmed', 'cancelled') THEN
      RAISE EXCEPTION 'Orientation % is confirmed', OLD."id" USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "Orientation_rules" BEFORE INSERT OR UPDATE ON "Orientation" FOR EACH ROW EXECUTE FUNCTION enforce_orientation_rules();

CREATE FUNCTION count_orientation_places() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was_live boolean := TG_OP <> 'INSERT' AND OLD."status" IN ('reserved', 'confirmed');
  is_live boolean := TG_OP <> 'DELETE' AND NEW."status" IN ('reserved', 'confirmed');
BEGIN
  IF was_live AND NOT is_live THEN
    UPDATE "Gp" SET "taken" = "taken" - 1 WHERE "id" = OLD."gpId";
    UPDATE "Team" SET "taken" = "taken" - 1 WHERE "id" = OLD."teamId";
  ELSIF is_live AND NOT was_live THEN
    UPDATE "Gp" SET "taken" = "taken" + 1 WHERE "id" = NEW."gpId";
    UPDATE "Team" SET "taken" = "taken" + 1 WHERE "id" = NEW."teamId";
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "Orientation_places" AFTER INSERT OR DELETE OR UPDATE OF "status" ON "Orientation" FOR EACH ROW EXECUTE FUNCTION count_orientation_places();

-- A patient has at most one live orientation.
CREATE UNIQUE INDEX "Orientation_one_live_per_patient" ON "Orientation" ("patientId") WHERE "status" IN ('reserved', 'confirmed');
-- Rule 1 across campaigns: a patient is held in at most one campaign at a time (the claim checks it under
-- the patient's row lock; this index is the backstop).
CREATE UNIQUE INDEX "Enrolment_one_hold_per_patient" ON "Enrolment" ("patientId") WHERE "dialState" = 'held';
-- Reservations waiting for an answer, by expiry (the housekeeping sweep).
CREATE INDEX "Orientation_waiting" ON "Orientation" ("expiresAt") WHERE "status" = 'reserved';

-- Matching: nearest GPs and teams with a GiST index on a locally equirectangular point
-- (x = longitude × cos(latitude), y = latitude, in degrees of latitude ≈ 111.2 km), walked in
-- distance order by "<->" (k-nearest-neighbour) without PostGIS. GPs of a team are proposed through their team.
CREATE INDEX "Gp_place" ON "Gp" USING gist (point("lng" * cos(radians("lat")), "lat"))
  WHERE "teamId" IS NULL AND "lat" IS NOT NULL AND "lng" IS NOT NULL;
CREATE INDEX "Team_place" ON "Team" USING gist (point("lng" * cos(radians("lat")), "lat"))
  WHERE "lat" IS NOT NULL AND "lng" IS NOT NULL;
