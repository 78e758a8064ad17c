-- CreateEnum
CREATE TYPE "DialMode" AS ENUM ('preview', 'progressive');

-- CreateEnum
CREATE TYPE "DialState" AS ENUM ('waiting', 'held', 'done');

-- CreateEnum
CREATE TYPE "AgentStatus" AS ENUM ('offline', 'ready', 'paused', 'busy', 'wrap_up');

-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "agentIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "attemptPeriodDays" INTEGER NOT NULL DEFAULT 30,
ADD COLUMN     "callbackGraceMinutes" INTEGER NOT NULL DEFAULT 15,
ADD COLUMN     "callingWindows" JSONB,
ADD COLUMN     "dialMode" "DialMode" NOT NULL DEFAULT 'preview',
ADD COLUMN     "maxAttempts" INTEGER NOT NULL DEFAULT 4,
ADD COLUMN     "refusalPauseDays" INTEGER,
ADD COLUMN     "retryDelays" JSONB,
ADD COLUMN     "rotatePhoneAfter" INTEGER NOT NULL DEFAULT 2,
ADD COLUMN     "skipPublicHolidays" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "Enrolment" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "callbackAgentId" UUID,
ADD COLUMN     "callbackAt" TIMESTAMPTZ(6),
ADD COLUMN     "dialState" "DialState" NOT NULL DEFAULT 'waiting',
ADD COLUMN     "doneReason" TEXT,
ADD COLUMN     "dueAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "failuresOnPhone" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "heldBy" UUID,
ADD COLUMN     "heldUntil" TIMESTAMPTZ(6),
ADD COLUMN     "lastOutcome" TEXT,
ADD COLUMN     "phoneIndex" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "wrongPhones" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "AgentState" (
    "userId" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "status" "AgentStatus" NOT NULL DEFAULT 'offline',
    "pauseReason" TEXT,
    "since" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AgentState_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "CallAttempt" (
    "id" UUID NOT NULL,
    "enrolmentId" UUID NOT NULL,
    "campaignId" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "agentId" UUID NOT NULL,
    "attemptNumber" INTEGER NOT NULL,
    "phone" TEXT NOT NULL,
    "provider" "TelephonyProvider" NOT NULL,
    "providerCallId" TEXT,
    "callStatus" TEXT NOT NULL DEFAULT 'created',
    "lastSequence" INTEGER NOT NULL DEFAULT -1,
    "answeredBy" TEXT,
    "endReason" TEXT,
    "createdAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dialledAt" TIMESTAMPTZ(6),
    "answeredAt" TIMESTAMPTZ(6),
    "endedAt" TIMESTAMPTZ(6),
    "durationSeconds" INTEGER,
    "outcome" TEXT,
    "outcomeAt" TIMESTAMPTZ(6),
    "outcomeBy" TEXT,
    "comment" TEXT,
    "callbackAt" TIMESTAMPTZ(6),

    CONSTRAINT "CallAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AgentState_organisationId_idx" ON "AgentState"("organisationId");

-- CreateIndex
CREATE UNIQUE INDEX "CallAttempt_providerCallId_key" ON "CallAttempt"("providerCallId");

-- CreateIndex
CREATE INDEX "CallAttempt_campaignId_outcomeAt_idx" ON "CallAttempt"("campaignId", "outcomeAt");

-- CreateIndex
CREATE INDEX "CallAttempt_agentId_createdAt_idx" ON "CallAttempt"("agentId", "createdAt");

-- CreateIndex
CREATE INDEX "Enrolment_campaignId_dialState_dueAt_idx" ON "Enrolment"("campaignId", "dialState", "dueAt");

-- CreateIndex
CREATE INDEX "Enrolment_heldBy_idx" ON "Enrolment"("heldBy");

-- AddForeignKey
ALTER TABLE "CallAttempt" ADD CONSTRAINT "CallAttempt_enrolmentId_fkey" FOREIGN KEY ("enrolmentId") REFERENCES "Enrolment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Rules the schema language cannot say. (Triggers, not CHECK constraints: Prisma 7.10's WASM
-- schema describer panics on CHECK constraints, which would break every later `db:new-migration`.)
-- One function per table: PL/pgSQL resolves NEW."field" for the row's own table only.
CREATE FUNCTION enforce_gp_rules() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."capacity" < 0 THEN
    RAISE EXCEPTION 'Gp.capacity must be >= 0' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE FUNCTION enforce_patient_rules() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."inseeCode" IS NOT NULL AND NEW."inseeCode" !~ '^([0-9]{5}|2[AB][0-9]{3})$' THEN
    RAISE EXCEPTION 'Patient.inseeCode is not an INSEE code' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;

-- Rule 3: every attempt ends with exactly one outcome, written once.
CREATE FUNCTION enforce_outcome_written_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD."outcome" IS NOT NULL AND (NEW."outcome" IS DISTINCT FROM OLD."outcome" OR NEW."outcomeAt" IS DISTINCT FROM OLD."outcomeAt") THEN
    RAISE EXCEPTION 'CallAttempt % already has its outcome', OLD."id" USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER "Gp_rules" BEFORE INSERT OR UPDATE ON "Gp" FOR EACH ROW EXECUTE FUNCTION enforce_gp_rules();
CREATE TRIGGER "Patient_rules" BEFORE INSERT OR UPDATE ON "Patient" FOR EACH ROW EXECUTE FUNCTION enforce_patient_rules();
CREATE TRIGGER "CallAttempt_rules" BEFORE UPDATE ON "CallAttempt" FOR EACH ROW EXECUTE FUNCTION enforce_outcome_written_once();

-- Rule 1: at most one attempt without outcome per enrolment (no patient called twice at once).
CREATE UNIQUE INDEX "CallAttempt_one_open_per_enrolment" ON "CallAttempt" ("enrolmentId") WHERE "outcome" IS NULL;
-- Rule 1: an agent holds at most one patient.
CREATE UNIQUE INDEX "Enrolment_one_hold_per_agent" ON "Enrolment" ("heldBy") WHERE "dialState" = 'held';
