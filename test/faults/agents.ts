// Virtual agents and supervisors on the product's real HTTP API and socket.io, as the console uses
// them: login (cookie + CSRF token), a live socket that renews the hold (heartbeat), ready → patient,
// call (preview) or the call that starts by itself (progressive), then one outcome per attempt.
import { io, type Socket } from "socket.io-client";
import type { CallStateEvent, ClientToServer, ServerToClient } from "../../shared-types/events.ts";

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface ApiResult {
  status: number; // 0: no answer (connection refused or reset)
  body: any;
}

export class Client {
  cookie = "";
  csrf = "";
  userId = "";
  socket?: Socket<ServerToClient, ClientToServer>;
  constructor(public base: string) {}

  async request(method: string, path: string, body?: unknown, timeoutMs = 15_000): Promise<ApiResult> {
    try {
      const res = await fetch(`${this.base}/api${path}`, {
        method,
        headers: { cookie: this.cookie, "x-csrf-token": this.csrf, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // not JSON (a CSV, say)
      }
      return { status: res.status, body: parsed };
    } catch (err) {
      return { status: 0, body: { error: { code: "network", message: (err as Error).message } } };
    }
  }

  async login(email: string, password: string) {
    for (let i = 0; ; i++) {
      const res = await fetch(`${this.base}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }) }).catch(() => null);
      if (res?.status === 200) {
        const body = await res.json();
        this.cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]).find((c) => c.startsWith("omt_session="))!;
        this.csrf = body.csrfToken;
        this.userId = body.user?.id ?? "";
        return body;
      }
      if (i > 20) throw new Error(`login ${email}: ${res?.status} ${await res?.text()}`);
      await sleep(300);
    }
  }

  /** socket.io as the console opens it; reconnects by itself (through the proxy: to any live process). */
  connect(url = this.base): Promise<void> {
    const socket: Socket<ServerToClient, ClientToServer> = io(url, {
      transports: ["websocket"], extraHeaders: { cookie: this.cookie }, reconnectionDelay: 200, reconnectionDelayMax: 1000, timeout: 5000,
    });
    this.socket = socket;
    return new Promise((resolve, reject) => {
      socket.once("session:ready", () => resolve());
      socket.once("connect_error", (err) => reject(err));
    });
  }

  close() {
    this.socket?.disconnect();
  }
}

export interface AgentStats {
  attempts: Set<string>;
  /** attempt id → the outcome the server acknowledged (200) */
  outcomes: Map<string, string>;
  /** HTTP status (0 = no answer) → count, for requests that failed */
  errors: Map<number, number>;
  messages: Set<string>;
}

export const newStats = (): AgentStats => ({ attempts: new Set(), outcomes: new Map(), errors: new Map(), messages: new Set() });

export class VirtualAgent extends Client {
  calls = new Map<string, CallStateEvent>();
  private beat?: NodeJS.Timeout;

  async connect(url = this.base) {
    await super.connect(url);
    this.socket!.on("call:state", (e) => this.calls.set(e.attemptId, e));
    // the console's heartbeat: renews the lease on the held patient while the console lives
    this.beat = setInterval(() => this.socket?.connected && this.socket.emit("agent:heartbeat", () => {}), 5000);
  }

  close() {
    clearInterval(this.beat);
    super.close();
  }

  /** Waits for the call to be answered by a person or to end (events on the socket, the card as a fallback). */
  async waitCall(attemptId: string, timeoutMs = 20_000): Promise<CallStateEvent | null> {
    const end = Date.now() + timeoutMs;
    let polled = Date.now();
    while (Date.now() < end) {
      const e = this.calls.get(attemptId);
      if (e && (e.callStatus === "ended" || (e.callStatus === "answered" && e.answeredBy === "human"))) return e;
      if (Date.now() - polled > 2000) {
        polled = Date.now();
        const s = await this.request("GET", "/agent/session");
        const open = s.body?.card?.openAttempt;
        if (s.status === 200 && (!open || open.id !== attemptId)) return null; // no longer open (swept, or recorded)
        if (open?.callStatus === "ended") return { attemptId, agentId: this.userId, callStatus: "ended", answeredBy: null, endReason: null };
      }
      await sleep(50);
    }
    return null;
  }
}

export function outcomeOf(e: CallStateEvent | null): string {
  if (!e) return "no_answer";
  if (e.callStatus === "answered" && e.answeredBy === "human") return "reached";
  if (e.endReason === "busy") return "busy";
  if (e.answeredBy === "machine") return "voicemail";
  return "no_answer";
}

const count = (m: Map<number, number>, k: number) => m.set(k, (m.get(k) ?? 0) + 1);

/** Records the outcome, retrying while the service is unavailable; 409/404 mean it is already settled. */
export async function recordOutcome(agent: VirtualAgent, attemptId: string, outcome: string, stats: AgentStats, stop: () => boolean = () => false) {
  for (let i = 0; i < 600 && !(stop() && i > 100); i++) {
    const r = await agent.request("POST", `/attempts/${attemptId}/outcome`, { outcome });
    if (r.status === 200) {
      stats.outcomes.set(attemptId, outcome);
      return r;
    }
    count(stats.errors, r.status);
    if (r.body?.error?.message) stats.messages.add(`${r.status} ${r.body.error.message.replace(/Référence : .*/, "")}`);
    if (r.status === 409 || r.status === 404 || r.status === 400) return r;
    await sleep(200);
  }
  return null;
}

/**
 * One agent's shift: ready → patient (→ call in preview) → wait → outcome, until stop() is true.
 * Errors (503 while a service is down, a dead process) are counted and retried, like a console does.
 */
export async function runShift(agent: VirtualAgent, stats: AgentStats, stop: () => boolean, o: { talkMs?: number } = {}) {
  while (!stop()) {
    const r = await agent.request("POST", "/agent/status", { status: "ready" });
    if (r.status !== 200) {
      count(stats.errors, r.status);
      if (r.body?.error?.message) stats.messages.add(`${r.status} ${r.body.error.message.replace(/Référence : .*/, "")}`);
      await sleep(300);
      continue;
    }
    const card = r.body.card;
    if (!card) {
      await sleep(300);
      continue;
    }
    let attemptId: string | undefined = card.openAttempt?.id;
    if (!attemptId) {
      const c = await agent.request("POST", "/agent/call");
      if (c.status !== 201) {
        count(stats.errors, c.status);
        if (c.body?.error?.message) stats.messages.add(`${c.status} ${c.body.error.message.replace(/Référence : .*/, "")}`);
        await sleep(300);
        continue; // the card stays held: the next "ready" gives it back (with its open attempt if one was made)
      }
      attemptId = c.body.attemptId as string;
    }
    stats.attempts.add(attemptId);
    const e = await agent.waitCall(attemptId);
    const outcome = outcomeOf(e);
    if (outcome === "reached") {
      await sleep(o.talkMs ?? 200);
      await agent.request("POST", "/agent/hangup");
    }
    await recordOutcome(agent, attemptId, outcome, stats, stop);
  }
}

/** Logs in `n` agents created by the admin (same organisation as the demo agent). */
export async function makeAgents(base: string, admin: Client, n: number, tag: string): Promise<{ email: string; password: string }[]> {
  const out: { email: string; password: string }[] = [];
  const password = "mot-de-passe-agent-faults";
  await Promise.all(Array.from({ length: n }, async (_, i) => {
    const email = `agent-${tag}-${i}@faults.test`;
    for (let k = 0; ; k++) {
      const r = await admin.request("POST", "/users", { email, name: `Agent ${tag} ${i}`, role: "agent", password });
      // a retry after an attempt that timed out on a loaded machine (50 password hashes at once) may find it created
      if (r.status === 201 || (k > 0 && r.status === 409)) break;
      if (k > 10) throw new Error(`user ${email}: ${r.status} ${JSON.stringify(r.body)}`);
      await sleep(200);
    }
    out.push({ email, password });
  }));
  void base;
  return out;
}
