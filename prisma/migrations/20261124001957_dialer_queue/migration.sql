-- The dialer's queues as partial indexes, walked in order by claimNextPatient (LIMIT 1 … SKIP LOCKED):
-- the cost of a claim does not grow with the size of the listing.
CREATE INDEX "Enrolment_queue" ON "Enrolment" ("campaignId", "priority", "dueAt")
  WHERE "dialState" = 'waiting' AND "eligible" AND "callbackAgentId" IS NULL;
CREATE INDEX "Enrolment_callbacks_by_agent" ON "Enrolment" ("callbackAgentId", "dueAt")
  WHERE "dialState" = 'waiting' AND "callbackAgentId" IS NOT NULL;
CREATE INDEX "Enrolment_callbacks_by_campaign" ON "Enrolment" ("campaignId", "dueAt")
  WHERE "dialState" = 'waiting' AND "callbackAgentId" IS NOT NULL;
-- The sweeper: lapsed holds.
CREATE INDEX "Enrolment_holds" ON "Enrolment" ("heldUntil") WHERE "dialState" = 'held';
