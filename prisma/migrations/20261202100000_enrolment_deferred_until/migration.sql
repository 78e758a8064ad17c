-- A patient looked at outside their calling window is put off to the window's next opening (dueAt). Kept here too, so
-- that new calling rules (a window opened, a Saturday added) bring back at once the patients put off by the old ones.
ALTER TABLE "Enrolment" ADD COLUMN "deferredUntil" TIMESTAMPTZ(6);
