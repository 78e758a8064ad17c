-- The claim reads the queue one priority at a time (decision 016): each priority's due patients are one range of
-- Enrolment_queue, read in order from 0 to 3 until a free patient is found. A priority is the position of the
-- patient's first group in the campaign's order of four groups (ald, age70, css, other): 0 to 3. The check makes
-- sure no enrolment sits at a level the claim never reads.
ALTER TABLE "Enrolment" ADD CONSTRAINT "Enrolment_priority_level" CHECK ("priority" BETWEEN 0 AND 3);
