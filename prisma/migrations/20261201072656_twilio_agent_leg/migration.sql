-- CreateEnum
CREATE TYPE "TwilioAgentLeg" AS ENUM ('softphone', 'agent_phone');

-- AlterTable
ALTER TABLE "CallAttempt" ADD COLUMN     "agentCallSid" TEXT;

-- AlterTable
ALTER TABLE "Organisation" ADD COLUMN     "twilioAgentLeg" "TwilioAgentLeg" NOT NULL DEFAULT 'softphone',
ADD COLUMN     "twilioApiKeySecretEnc" TEXT,
ADD COLUMN     "twilioApiKeySid" TEXT;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "phone" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "CallAttempt_agentCallSid_key" ON "CallAttempt"("agentCallSid");
