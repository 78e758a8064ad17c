-- Accepted rows from which something was dropped (an invalid second phone, an unreadable flag, a postal code that is not
-- the commune's…), one row per line with its remarks: the coordinator sees them in the import's report. Until now they
-- were kept only inside the row's history (PatientSource.data), which no page shows, and GP rosters' were not kept.
ALTER TABLE "Import" ADD COLUMN "remarked" INTEGER NOT NULL DEFAULT 0;

CREATE TABLE "ImportRemark" (
    "importId" UUID NOT NULL,
    "line" INTEGER NOT NULL,
    "remark" TEXT NOT NULL,

    CONSTRAINT "ImportRemark_pkey" PRIMARY KEY ("importId","line")
);

ALTER TABLE "ImportRemark" ADD CONSTRAINT "ImportRemark_importId_fkey" FOREIGN KEY ("importId") REFERENCES "Import"("id") ON DELETE CASCADE ON UPDATE CASCADE;
