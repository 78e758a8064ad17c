-- CreateEnum
CREATE TYPE "ImportKind" AS ENUM ('patients', 'gps');

-- CreateEnum
CREATE TYPE "ImportStatus" AS ENUM ('uploaded', 'queued', 'running', 'done', 'failed');

-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "leavingGpRpps" TEXT,
ADD COLUMN     "priorityOrder" TEXT[] DEFAULT ARRAY['ald', 'age70', 'css', 'other']::TEXT[],
ADD COLUMN     "requiresContactConsent" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "Commune" (
    "inseeCode" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "department" TEXT NOT NULL,
    "postalCodes" TEXT[],
    "population" INTEGER,
    "lat" DOUBLE PRECISION,
    "lng" DOUBLE PRECISION,
    "geoQuality" TEXT,

    CONSTRAINT "Commune_pkey" PRIMARY KEY ("inseeCode")
);

-- CreateTable
CREATE TABLE "Patient" (
    "id" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "matchKey" TEXT NOT NULL,
    "externalId" TEXT,
    "nirHash" TEXT,
    "lastName" TEXT NOT NULL,
    "birthName" TEXT,
    "firstName" TEXT,
    "birthDate" DATE NOT NULL,
    "sex" TEXT,
    "phones" JSONB NOT NULL,
    "address" TEXT,
    "postalCode" TEXT,
    "inseeCode" TEXT,
    "ald" BOOLEAN NOT NULL DEFAULT false,
    "css" BOOLEAN NOT NULL DEFAULT false,
    "hasMt" BOOLEAN NOT NULL DEFAULT false,
    "optOut" BOOLEAN NOT NULL DEFAULT false,
    "consentContact" BOOLEAN,
    "relationRpps" TEXT,
    "relationVisits" INTEGER,
    "createdAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "Patient_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Enrolment" (
    "id" UUID NOT NULL,
    "campaignId" UUID NOT NULL,
    "patientId" UUID NOT NULL,
    "eligible" BOOLEAN NOT NULL,
    "ineligibleReason" TEXT,
    "priority" INTEGER NOT NULL,
    "priorityLabel" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "Enrolment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Import" (
    "id" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "campaignId" UUID,
    "kind" "ImportKind" NOT NULL,
    "fileName" TEXT NOT NULL,
    "fileSize" BIGINT NOT NULL,
    "fileHash" TEXT NOT NULL,
    "encoding" TEXT,
    "delimiter" TEXT,
    "format" TEXT,
    "mapping" JSONB,
    "preview" JSONB,
    "status" "ImportStatus" NOT NULL DEFAULT 'uploaded',
    "lastLine" INTEGER NOT NULL DEFAULT 0,
    "rowsRead" INTEGER NOT NULL DEFAULT 0,
    "accepted" INTEGER NOT NULL DEFAULT 0,
    "merged" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "createdById" UUID,
    "createdByLabel" TEXT,
    "createdAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMPTZ(6),
    "finishedAt" TIMESTAMPTZ(6),

    CONSTRAINT "Import_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImportChunk" (
    "importId" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "ImportChunk_pkey" PRIMARY KEY ("importId","seq")
);

-- CreateTable
CREATE TABLE "ImportRejection" (
    "importId" UUID NOT NULL,
    "line" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "cells" TEXT[],

    CONSTRAINT "ImportRejection_pkey" PRIMARY KEY ("importId","line")
);

-- CreateTable
CREATE TABLE "PatientSource" (
    "importId" UUID NOT NULL,
    "line" INTEGER NOT NULL,
    "patientId" UUID NOT NULL,
    "data" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PatientSource_pkey" PRIMARY KEY ("importId","line")
);

-- CreateTable
CREATE TABLE "ImportMapping" (
    "id" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "kind" "ImportKind" NOT NULL,
    "name" TEXT NOT NULL,
    "headerSignature" TEXT NOT NULL,
    "mapping" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ImportMapping_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Team" (
    "id" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "inseeCode" TEXT,
    "createdAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Team_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Gp" (
    "id" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "rpps" TEXT NOT NULL,
    "lastName" TEXT NOT NULL,
    "firstName" TEXT,
    "address" TEXT,
    "inseeCode" TEXT,
    "lat" DOUBLE PRECISION,
    "lng" DOUBLE PRECISION,
    "teamId" UUID,
    "acceptsNew" BOOLEAN NOT NULL DEFAULT false,
    "capacity" INTEGER NOT NULL DEFAULT 0,
    "acceptsAld" BOOLEAN NOT NULL DEFAULT true,
    "endOfActivity" DATE,
    "birthYear" INTEGER,
    "lastImportId" UUID,
    "createdAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "Gp_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Patient_organisationId_inseeCode_idx" ON "Patient"("organisationId", "inseeCode");

-- CreateIndex
CREATE UNIQUE INDEX "Patient_organisationId_matchKey_key" ON "Patient"("organisationId", "matchKey");

-- CreateIndex
CREATE INDEX "Enrolment_campaignId_eligible_priority_idx" ON "Enrolment"("campaignId", "eligible", "priority");

-- CreateIndex
CREATE UNIQUE INDEX "Enrolment_campaignId_patientId_key" ON "Enrolment"("campaignId", "patientId");

-- CreateIndex
CREATE INDEX "Import_organisationId_createdAt_idx" ON "Import"("organisationId", "createdAt");

-- CreateIndex
CREATE INDEX "PatientSource_patientId_idx" ON "PatientSource"("patientId");

-- CreateIndex
CREATE UNIQUE INDEX "ImportMapping_organisationId_kind_headerSignature_key" ON "ImportMapping"("organisationId", "kind", "headerSignature");

-- CreateIndex
CREATE UNIQUE INDEX "Team_organisationId_name_key" ON "Team"("organisationId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Gp_organisationId_rpps_key" ON "Gp"("organisationId", "rpps");

-- AddForeignKey
ALTER TABLE "Enrolment" ADD CONSTRAINT "Enrolment_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Enrolment" ADD CONSTRAINT "Enrolment_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Import" ADD CONSTRAINT "Import_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImportChunk" ADD CONSTRAINT "ImportChunk_importId_fkey" FOREIGN KEY ("importId") REFERENCES "Import"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImportRejection" ADD CONSTRAINT "ImportRejection_importId_fkey" FOREIGN KEY ("importId") REFERENCES "Import"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PatientSource" ADD CONSTRAINT "PatientSource_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Gp" ADD CONSTRAINT "Gp_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE SET NULL ON UPDATE CASCADE;
