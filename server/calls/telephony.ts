// One interface, three providers chosen per organisation (DESIGN "Telephony").
import { randomInt } from "node:crypto";
import { env } from "../env.ts";
import { logger } from "../logger.ts";
import { pgPool } from "../pgPool.ts";
import { applyCallEvent, type CallEvent } from "./applyCallEvent.ts";
import { simulatedCallId, simulatorLine } from "./simulatorLine.ts";

export interface PlacedCall {
  providerCallId: string | null;
}

export interface Telephony {
  placeCall(call: { attemptId: string; phone: string }): Promise<PlacedCall>;
  hangUp(providerCallId: string): Promise<void>;
  /** The process stops: what it carries ends (the simulator's calls). */
  close?(): Promise<void>;
}

type Applied = NonNullable<Awaited<ReturnType<typeof applyCallEvent>>>;
export type OnCallEvent = (applied: Applied) => void;

/** manual: the agent dials from their own phone (tel: link); the attempt is still timed and logged. */
export const manualTelephony: Telephony = {
  async placeCall() {
    return { providerCallId: null };
  },
  async hangUp() {},
};

/** Why a simulated call ended when the process carrying it stopped or died (see simulatorLine.ts). */
export const PROCESS_GONE = "process-gone";

/**
 * simulator: rings, then a person answers (≈26 %), voicemail (≈32 %), busy, no answer or failure,
 * with realistic durations; its events go through applyCallEvent like Twilio's status callbacks.
 * SIMULATOR_SPEED scales the delays (tests run it fast). Its calls live in this process, on its line: stopped, it ends
 * them; killed, any process's sweeper does (endLostSimulatedCalls).
 */
export function simulatorTelephony(onEvent: OnCallEvent, rates = env().SIMULATOR_RATES): Telephony {
  const line = simulatorLine();
  const timers = new Map<string, NodeJS.Timeout[]>();
  const sequences = new Map<string, number>();
  const emit = async (providerCallId: string, e: Omit<CallEvent, "providerCallId" | "sequence" | "at">, announce = true) => {
    const sequence = (sequences.get(providerCallId) ?? 0) + 1;
    sequences.set(providerCallId, sequence);
    try {
      const applied = await applyCallEvent(pgPool(), { ...e, providerCallId, sequence, at: new Date() });
      if (applied && announce) onEvent(applied);
    } catch (err) {
      logger.warn({ err, providerCallId }, "simulated call event not applied");
    }
    if (e.status === "ended") {
      timers.delete(providerCallId);
      sequences.delete(providerCallId);
    }
  };
  const later = (id: string, seconds: number, fn: () => void) => {
    const t = setTimeout(fn, seconds * 1000 * env().SIMULATOR_SPEED);
    t.unref();
    timers.set(id, [...(timers.get(id) ?? []), t]);
  };
  return {
    async placeCall({ attemptId }) {
      await line.hold(); // before the call exists: a call on a line nobody holds is a lost one
      const id = simulatedCallId(line.id, attemptId);
      const ring = 2 + randomInt(5);
      const r = randomInt(10_000) / 10_000;
      later(id, 0.5, () => void emit(id, { status: "ringing" }));
      if (r < rates.human) later(id, ring, () => void emit(id, { status: "answered", answeredBy: "human" }));
      else if (r < rates.human + rates.voicemail) {
        later(id, ring + 6, () => void emit(id, { status: "answered", answeredBy: "machine" }));
        later(id, ring + 30, () => void emit(id, { status: "ended", endReason: "completed", answeredBy: "machine", durationSeconds: 24 }));
      } else if (r < rates.human + rates.voicemail + rates.busy) later(id, 1, () => void emit(id, { status: "ended", endReason: "busy", durationSeconds: 0 }));
      else if (r < 0.98) later(id, 30, () => void emit(id, { status: "ended", endReason: "no-answer", durationSeconds: 0 }));
      else later(id, 2, () => void emit(id, { status: "ended", endReason: "failed", durationSeconds: 0 }));
      return { providerCallId: id };
    },
    async hangUp(providerCallId) {
      for (const t of timers.get(providerCallId) ?? []) clearTimeout(t);
      timers.delete(providerCallId);
      await emit(providerCallId, { status: "ended", endReason: "completed" });
    },
    async close() {
      // Not announced: the consoles' sockets close with this process, and they read the ended call when they reconnect.
      const calls = [...timers.keys()];
      for (const id of calls) for (const t of timers.get(id) ?? []) clearTimeout(t);
      timers.clear();
      await Promise.all(calls.map((id) => emit(id, { status: "ended", endReason: PROCESS_GONE }, false)));
      await line.close();
    },
  };
}
