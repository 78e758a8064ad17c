-- Who saved an organisation's column mapping, and when it was last saved (a later save of the same headers replaces it).
ALTER TABLE "ImportMapping" ADD COLUMN "savedById" UUID;
ALTER TABLE "ImportMapping" ADD COLUMN "savedAt" TIMESTAMPTZ(6) NOT NULL DEFAULT now();
UPDATE "ImportMapping" SET "savedAt" = "createdAt";
ALTER TABLE "ImportMapping" ADD CONSTRAINT "ImportMapping_savedById_fkey" FOREIGN KEY ("savedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
