-- Both covered by other indexes: holds are read with "dialState" = 'held' (Enrolment_one_hold_per_agent), the
-- campaign's patients by Enrolment_campaignId_patientId_key and the dialer's queue by Enrolment_queue. Each non-HOT
-- update of an enrolment (a hold, an outcome) wrote an entry in both: ~12 % of the dialer's PostgreSQL CPU per cycle.
-- DropIndex
DROP INDEX "Enrolment_campaignId_eligible_priority_idx";

-- DropIndex
DROP INDEX "Enrolment_heldBy_idx";
