// Where the agent's console shows how they are on the phone with Twilio: the browser softphone
// (loaded only for organisations that use it, so the Twilio SDK stays out of everyone else's
// bundle), or their own phone bridged to the patient. Nothing for the simulator or manual dialling.
import { lazy, Suspense, useEffect, useState } from "react";
import type { CallStateEvent } from "../../../shared-types/events.ts";
import { useApi } from "../shared/useApi.ts";
import { connectLive } from "../shared/socket.ts";
import type { PatientCard } from "./types.ts";

const Softphone = lazy(() => import("./Softphone.tsx"));

interface AgentTelephony { provider: "simulator" | "manual" | "twilio"; agentLeg: "softphone" | "agent_phone" | null; agentPhone: string | null }

export function SoftphoneSlot({ card, onDial }: { card: PatientCard | null; onDial: () => Promise<void> }) {
  const { data } = useApi<AgentTelephony>("/agent/telephony");
  if (data?.provider !== "twilio") return null;
  if (data.agentLeg === "agent_phone") return <OwnPhonePanel phone={data.agentPhone} />;
  return (
    <Suspense fallback={<section className="panel" aria-label="Softphone"><p>Chargement du softphone…</p></section>}>
      <Softphone card={card} onDial={onDial} />
    </Suspense>
  );
}

const AGENT_LEG_END: Record<string, string> = {
  "agent-no-answer": "Votre téléphone n'a pas répondu : le patient n'a pas été appelé.",
  "agent-busy": "Votre téléphone était occupé : le patient n'a pas été appelé.",
  "agent-failed": "Votre téléphone n'a pas pu être appelé : le patient n'a pas été appelé.",
  "agent-canceled": "L'appel vers votre téléphone a été annulé.",
  "agent-completed": "Vous avez raccroché avant que le patient soit appelé.",
  "not-callable": "Le patient ne pouvait plus être appelé à ce moment-là (le motif vous a été annoncé au téléphone).",
};

function OwnPhonePanel({ phone }: { phone: string | null }) {
  const [ended, setEnded] = useState<string | null>(null);
  useEffect(() => {
    const live = connectLive();
    const onCall = (e: CallStateEvent) => setEnded(e.endReason ? AGENT_LEG_END[e.endReason] ?? null : null);
    live.on("call:state", onCall);
    return () => void live.off("call:state", onCall);
  }, []);
  return (
    <section className="panel" aria-labelledby="own-phone-title">
      <h2 id="own-phone-title">Mon téléphone</h2>
      {phone ? (
        <p>Quand vous cliquez sur « Appeler », Twilio appelle d'abord votre téléphone ({phone}) : décrochez, puis le patient est appelé et mis en relation avec vous.</p>
      ) : (
        <p role="alert" className="error">Votre numéro de téléphone n'est pas renseigné : demandez à l'administrateur de l'ajouter pour pouvoir appeler.</p>
      )}
      {ended && <p role="status" className="notice">{ended}</p>}
    </section>
  );
}
