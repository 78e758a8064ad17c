-- The hold's lease is renewed by every heartbeat and by startCall: with "heldUntil" in an index, each
-- renewal wrote a new entry in all nine indexes of the held row. Without it the renewal is a HOT update
-- (no index touched). The sweeper finds lapsed holds through the partial indexes on held rows
-- ("Enrolment_one_hold_per_agent", "Enrolment_one_hold_per_patient": one entry per held patient, at most
-- one per agent), which stay small whatever the size of the listing.
DROP INDEX "Enrolment_holds";
