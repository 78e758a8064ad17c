-- CreateTable
CREATE TABLE "AgentStateLog" (
    "id" BIGSERIAL NOT NULL,
    "userId" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "status" "AgentStatus" NOT NULL,
    "pauseReason" TEXT,
    "at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AgentStateLog_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AgentStateLog_userId_at_idx" ON "AgentStateLog"("userId", "at");

-- CreateIndex
CREATE INDEX "AgentStateLog_organisationId_at_idx" ON "AgentStateLog"("organisationId", "at");
