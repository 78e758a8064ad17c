// Patients looked at while their calling window was closed were put off to its next opening (claimNextPatient's
// hand-back). When the coordinator changes the campaign's calling rules (a window opened, a Saturday added), those
// patients are due again at once: the claim checks the windows again, under the new rules. A patient whose due time
// something else moved since (an outcome, a callback) is left as it is.
import type { Prisma } from "../generated/prisma/client.ts";

export async function reopenDeferredPatients(tx: Prisma.TransactionClient, campaignId: string, now = new Date()): Promise<number> {
  return tx.$executeRaw`UPDATE "Enrolment" SET "dueAt" = ${now}, "deferredUntil" = NULL, "updatedAt" = now()
    WHERE "campaignId" = ${campaignId}::uuid AND "dialState" = 'waiting' AND "dueAt" = "deferredUntil" AND "dueAt" > ${now}`;
}
