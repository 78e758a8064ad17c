-- CreateIndex
CREATE INDEX "CallAttempt_enrolmentId_idx" ON "CallAttempt"("enrolmentId");
