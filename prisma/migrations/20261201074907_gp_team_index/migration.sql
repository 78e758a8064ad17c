-- CreateIndex
CREATE INDEX "Gp_teamId_idx" ON "Gp"("teamId");
