// The browser softphone (Twilio Voice JavaScript SDK), loaded only for organisations that use it.
// The server mints the Access Token; the call goes to the TwiML App, whose signed voice webhook
// dials the patient the agent holds (or says why not). The attempt is created by the console's
// "Appeler" (or the dialer in progressive mode); the softphone then connects to it by itself.
import { Call, Device, type TwilioError as TwilioErrors } from "@twilio/voice-sdk";
import { useCallback, useEffect, useRef, useState } from "react";
import { api, ApiError } from "../shared/api.ts";
import type { PatientCard } from "./types.ts";

type TwilioError = TwilioErrors.TwilioError;
type DeviceState = "starting" | "ready" | "failed";
type LineState = "idle" | "connecting" | "ringing" | "open";

/** If Twilio has not acknowledged the device by then, say so rather than wait in silence. */
const REGISTER_TIMEOUT_MS = 10_000;

const LINE_LABEL: Record<LineState, string> = { idle: "Pas d'appel en cours", connecting: "Connexion à Twilio…", ringing: "Appel du patient…", open: "En communication" };

function describe(error: TwilioError | Error): string {
  const code = (error as TwilioError).code;
  if (code === 31401 || code === 31208 || error.name === "NotAllowedError") return "Le navigateur n'a pas accès au micro : autorisez-le pour cette page, puis réessayez.";
  if (code === 20101 || code === 20104 || code === 31204 || code === 31205) return "Jeton du softphone refusé par Twilio : rechargez la page ; si cela persiste, prévenez l'administrateur (clé API Twilio).";
  return `Le softphone n'a pas pu se connecter à Twilio${code ? ` (erreur ${code})` : ""} : vérifiez la connexion réseau de ce poste. En attendant, composez depuis votre téléphone.`;
}

export default function Softphone({ card, onDial }: { card: PatientCard | null; onDial: () => Promise<void> }) {
  const [deviceState, setDeviceState] = useState<DeviceState>("starting");
  const [line, setLine] = useState<LineState>("idle");
  const [muted, setMuted] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const device = useRef<Device | null>(null);
  const call = useRef<Call | null>(null);
  /** Attempts this softphone already connected to: never dialled twice by the auto-connect. */
  const tried = useRef(new Set<string>());
  /** Bumped by "Reconnecter": a new device, a new token. */
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const fail = (message: string) => {
      if (!alive) return;
      clearTimeout(timer);
      setDeviceState("failed");
      setError(message);
    };
    (async () => {
      if (!Device.isSupported) return fail("Ce navigateur ne permet pas le softphone (WebRTC indisponible) : utilisez un navigateur récent, ou composez depuis votre téléphone.");
      let token: string;
      try {
        token = (await api<{ token: string }>("GET", "/agent/softphone-token")).token;
      } catch (err) {
        return fail(err instanceof ApiError ? err.message : "Jeton du softphone indisponible.");
      }
      if (!alive) return;
      const d = new Device(token, {
        logLevel: "silent",
        codecPreferences: [Call.Codec.Opus, Call.Codec.PCMU],
        closeProtection: "Un appel est en cours : quitter la page le couperait.",
      });
      device.current = d;
      d.on(Device.EventName.Registered, () => {
        if (!alive) return;
        clearTimeout(timer);
        setDeviceState("ready");
        setError(null);
      });
      d.on(Device.EventName.Error, (e: TwilioError) => fail(describe(e)));
      d.on(Device.EventName.TokenWillExpire, async () => {
        try {
          d.updateToken((await api<{ token: string }>("GET", "/agent/softphone-token")).token);
        } catch {
          fail("Le jeton du softphone n'a pas pu être renouvelé : rechargez la page.");
        }
      });
      timer = setTimeout(() => fail("Le softphone n'a pas pu s'enregistrer auprès de Twilio (pas de réponse) : vérifiez la connexion réseau de ce poste. En attendant, composez depuis votre téléphone."), REGISTER_TIMEOUT_MS);
      d.register().catch((e: TwilioError) => fail(describe(e)));
    })();
    return () => {
      alive = false;
      clearTimeout(timer);
      device.current?.destroy();
      device.current = null;
    };
  }, [generation]);

  const connect = useCallback(async (attemptId: string) => {
    const d = device.current;
    if (!d || call.current) return;
    tried.current.add(attemptId);
    setError(null);
    setLine("connecting");
    try {
      const c = await d.connect({ params: { attemptId } });
      call.current = c;
      c.on("ringing", () => setLine("ringing"));
      c.on("accept", () => setLine("open"));
      const ended = () => {
        call.current = null;
        setLine("idle");
        setMuted(false);
      };
      c.on("disconnect", ended);
      c.on("cancel", ended);
      c.on("reject", ended);
      c.on("error", (e: TwilioError) => setError(describe(e)));
      c.on("mute", (isMuted: boolean) => setMuted(isMuted));
    } catch (err) {
      call.current = null;
      setLine("idle");
      setError(describe(err as Error));
    }
  }, []);

  // An attempt opened by "Appeler" (or by the dialer in progressive mode) is dialled from here.
  const open = card?.openAttempt;
  useEffect(() => {
    if (deviceState === "ready" && open && open.callStatus === "created" && !tried.current.has(open.id)) void connect(open.id);
  }, [deviceState, open, connect]);

  const dial = async () => {
    if (open) return connect(open.id);
    setError(null);
    await onDial(); // the console creates the attempt; the effect above connects to it
  };
  const hangUp = () => call.current?.disconnect();
  const toggleMute = () => call.current?.mute(!muted);

  return (
    <section className="panel softphone" aria-labelledby="softphone-title">
      <h2 id="softphone-title">Softphone</h2>
      <p role="status" aria-live="polite">
        {deviceState === "starting" ? "Connexion du softphone à Twilio…" : deviceState === "ready" ? `Prêt — ${LINE_LABEL[line]}` : "Softphone indisponible"}
        {muted && " — micro coupé"}
      </p>
      {error && <p role="alert" className="error">{error}</p>}
      <div className="inline-form">
        <button type="button" onClick={() => void dial()} disabled={deviceState !== "ready" || !card || line !== "idle"}>Appeler</button>
        <button type="button" className="secondary" onClick={hangUp} disabled={line === "idle"}>Raccrocher</button>
        <button type="button" className="secondary" onClick={toggleMute} disabled={line !== "open"} aria-pressed={muted}>{muted ? "Réactiver le micro" : "Muet"}</button>
        {deviceState === "failed" && (
          <button type="button" className="secondary" onClick={() => { setError(null); setDeviceState("starting"); setGeneration((g) => g + 1); }}>Reconnecter</button>
        )}
      </div>
    </section>
  );
}
