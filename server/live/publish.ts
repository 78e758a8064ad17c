// Live events, emitted after the commit that caused them (never inside a transaction).
import type { Request } from "express";
import type { AgentStateEvent, BoardStaleReason, CallStateEvent, CampaignStatusEvent, OutcomeEvent, ServerToClient, SessionEndReason } from "../../shared-types/events.ts";
import type { Emitter } from "@socket.io/redis-emitter";
import { endSessionSockets, rooms, type LiveServer } from "./socketServer.ts";

/** A web process's socket.io server, or the worker's emitter (liveEmitter.ts): both reach every console. */
type Broadcaster = LiveServer | Emitter<ServerToClient>;

export const ioOf = (req: Request) => req.app.get("io") as LiveServer | undefined;

const supervisorsOf = (orgId: string) => [rooms.role(orgId, "supervisor"), rooms.role(orgId, "coordinator"), rooms.role(orgId, "admin")];

export const publish = {
  agentState(io: Broadcaster | undefined, orgId: string, e: AgentStateEvent) {
    io?.to([...supervisorsOf(orgId), rooms.user(e.userId)]).emit("agent:state", e);
  },
  assigned(io: LiveServer | undefined, agentId: string, enrolmentId: string) {
    io?.to(rooms.user(agentId)).emit("dialer:assigned", { enrolmentId, at: new Date().toISOString() });
  },
  /** The agent's patient was taken back (supervisor, lapsed lease, its campaign paused): their console drops the card. */
  released(io: Broadcaster | undefined, agentId: string, enrolmentId: string, why?: { campaign: CampaignStatusEvent } | { lapsed: true }) {
    io?.to(rooms.user(agentId)).emit("dialer:released", { enrolmentId, at: new Date().toISOString(), ...why });
  },
  campaignStatus(io: LiveServer | undefined, orgId: string, e: CampaignStatusEvent) {
    io?.to([...supervisorsOf(orgId), rooms.role(orgId, "agent")]).emit("campaign:status", e);
  },
  callState(io: Broadcaster | undefined, orgId: string, e: CallStateEvent) {
    io?.to([...supervisorsOf(orgId), rooms.user(e.agentId)]).emit("call:state", e);
  },
  /** Every session of the user was closed by an admin's change: their consoles go to the login page, saying why. */
  sessionsEnded(io: LiveServer | undefined, userId: string, reason: SessionEndReason) {
    if (io) endSessionSockets(io, rooms.user(userId), reason);
  },
  outcome(io: Broadcaster | undefined, orgId: string, e: OutcomeEvent) {
    io?.to([...supervisorsOf(orgId), rooms.user(e.agentId)]).emit("attempt:outcome", e);
  },
  /** Something the board counts changed without a call's event: the boards read it again. */
  boardStale(io: Broadcaster | undefined, orgId: string, reason: BoardStaleReason) {
    io?.to(supervisorsOf(orgId)).emit("board:stale", { reason });
  },
  callbacksChanged(io: Broadcaster | undefined, agentIds: (string | null)[]) {
    const agents = [...new Set(agentIds.filter((a): a is string => a !== null))];
    if (agents.length) io?.to(agents.map(rooms.user)).emit("callbacks:changed", { at: new Date().toISOString() });
  },
};
