// The admin's "test call": Twilio calls the given number from the organisation's caller id and reads
// a short French message, which proves the account, the token and the number work together.
// The simulator and the manual mode place no real call: the answer says so.
import { z } from "zod";
import { db } from "../db.ts";
import { AppError, errors } from "../errors.ts";
import { normalisePhones } from "../imports/parsing/normalisePhone.ts";
import { twilioClientFor } from "./twilioClient.ts";

export const testCallInput = z.object({ to: z.string().trim().min(1, "numéro à appeler manquant").max(40, "numéro trop long").meta({ title: "Numéro à appeler" }) });

const MESSAGE = "Bonjour. Ceci est un appel de test de la console de phoning. La téléphonie de votre organisation fonctionne. Au revoir.";

export async function placeTestCall(organisationId: string, input: z.infer<typeof testCallInput>) {
  const org = await db().organisation.findUniqueOrThrow({ where: { id: organisationId } });
  const { phones, rejected } = normalisePhones(input.to);
  if (phones.length !== 1 || rejected.length) throw errors.badRequest(rejected[0]?.reason ?? (phones.length ? "Indiquez un seul numéro de téléphone." : `« ${input.to} » n'est pas un numéro de téléphone.`));
  const to = phones[0].e164;
  if (org.telephonyProvider !== "twilio") {
    return {
      provider: org.telephonyProvider, to, placed: false,
      message: org.telephonyProvider === "simulator"
        ? "Téléphonie simulée : aucun appel réel n'est passé. Choisissez Twilio pour appeler de vrais numéros."
        : "Mode manuel : les agents composent depuis leur propre téléphone ; aucun appel n'est passé par la console.",
    };
  }
  if (!org.twilioCallerId) throw errors.badRequest("Indiquez d'abord le numéro appelant Twilio.");
  try {
    const call = await twilioClientFor(org).calls.create({ to, from: org.twilioCallerId, twiml: `<Response><Say language="fr-FR">${MESSAGE}</Say></Response>` });
    return { provider: "twilio", to, placed: true, callSid: call.sid, message: `Appel de test lancé vers ${to} : votre téléphone va sonner.` };
  } catch (err) {
    const e = err as { status?: number; code?: number | string; message?: string };
    // No answer from Twilio at all (no network, DNS, proxy) is not a refusal: said apart, in French.
    if (e.status === undefined) {
      throw new AppError("twilio_unreachable", 502, `Twilio est injoignable depuis le serveur (réseau, DNS ou proxy${typeof e.code === "string" ? ` : ${e.code}` : ""}) : aucun appel n'a été passé.`);
    }
    const why = e.status === 401 ? "identifiants Twilio refusés (Account SID ou jeton)" : `${e.message ?? "erreur inconnue"} (code Twilio ${e.code ?? e.status})`;
    throw new AppError("twilio_test_failed", 502, `Twilio a refusé l'appel de test : ${why}.`);
  }
}
