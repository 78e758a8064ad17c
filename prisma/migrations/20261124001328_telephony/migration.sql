-- AlterTable
ALTER TABLE "CallAttempt" ADD COLUMN     "appliedSequences" INTEGER[] DEFAULT ARRAY[]::INTEGER[];

-- AlterTable
ALTER TABLE "Organisation" ADD COLUMN     "twilioAccountSid" TEXT,
ADD COLUMN     "twilioAuthTokenEnc" TEXT,
ADD COLUMN     "twilioCallerId" TEXT,
ADD COLUMN     "twilioTwimlAppSid" TEXT;
