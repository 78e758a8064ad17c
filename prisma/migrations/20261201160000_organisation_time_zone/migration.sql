-- An organisation lives in one time zone: its working day (the supervisor's "today"), the days and hours of its
-- reports and the dates of its exports. Paris for the mainland and Corsica; an overseas fund (CGSS) or CPTS its own.
-- The console offers the zones of France (shared-types/timeZones.ts); the check keeps every value among them.
ALTER TABLE "Organisation" ADD COLUMN "timeZone" TEXT NOT NULL DEFAULT 'Europe/Paris';
ALTER TABLE "Organisation" ADD CONSTRAINT "Organisation_timeZone_known"
  CHECK ("timeZone" IN ('Europe/Paris', 'America/Guadeloupe', 'America/Martinique', 'America/Cayenne', 'Indian/Reunion',
                        'Indian/Mayotte', 'America/Miquelon', 'Pacific/Wallis', 'Pacific/Tahiti', 'Pacific/Noumea'));
