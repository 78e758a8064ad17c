// The socket.io event map, shared by the server (Server<ClientToServer, ServerToClient>)
// and the console (Socket<ServerToClient, ClientToServer>). One place, both sides typed.

import type { FrenchTimeZone } from "./timeZones.ts";

export type Role = "admin" | "coordinator" | "supervisor" | "agent";
export type OrganisationKind = "CPAM" | "MSA" | "CPTS";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  organisation: { id: string; name: string; kind: OrganisationKind; timeZone: FrenchTimeZone };
}

export type AgentStatus = "offline" | "ready" | "paused" | "busy" | "wrap_up";
export type CallStatus = "created" | "ringing" | "answered" | "ended";

export interface AgentStateEvent {
  userId: string;
  name: string;
  status: AgentStatus;
  pauseReason: string | null;
  since: string;
}

export interface CallStateEvent {
  attemptId: string;
  agentId: string;
  callStatus: CallStatus;
  answeredBy: string | null;
  endReason: string | null;
}

export interface OutcomeEvent {
  attemptId: string;
  agentId: string;
  campaignId: string;
  outcome: string;
  at: string;
}

/** Why a session ended: its own logout, or an admin's change to the account (all its sessions end). */
export type SessionEndReason = "logout" | "deactivated" | "role_changed" | "password_changed";

export type BoardStaleReason = "consent" | "orientation" | "capacity" | "callback";

export interface CampaignStatusEvent {
  campaignId: string;
  name: string;
  status: "running" | "paused" | "closed";
}

export interface ServerToClient {
  /** An agent changed state (to the organisation's supervisors and to the agent). */
  "agent:state": (payload: AgentStateEvent) => void;
  /** The dialer handed the agent a patient: the agent's console loads the card. */
  "dialer:assigned": (payload: { enrolmentId: string; at: string }) => void;
  /** The agent's patient was taken back (by a supervisor; because its campaign was paused or closed: `campaign`; because
   * the console gave no sign of life for a lease: `lapsed`):
   * the console drops the card. */
  "dialer:released": (payload: { enrolmentId: string; at: string; campaign?: CampaignStatusEvent; lapsed?: true }) => void;
  /** A campaign was started, paused or closed (to the organisation's supervisors and agents). */
  "campaign:status": (payload: CampaignStatusEvent) => void;
  /** Telephony progress of a call (ringing, answered, ended). */
  "call:state": (payload: CallStateEvent) => void;
  /** An attempt got its outcome. */
  "attempt:outcome": (payload: OutcomeEvent) => void;
  /** What the supervision board counts changed outside a call's events (a consent, a booking, a GP's answer or
   * capacity, a callback given to another agent): the board reads itself again (to supervisors, coordinators, admins). */
  "board:stale": (payload: { reason: BoardStaleReason }) => void;
  /** The agent's callbacks changed without their doing (a supervisor gave one to them, or to someone else). */
  "callbacks:changed": (payload: { at: string }) => void;
  /** Sent once after the handshake: who the server thinks is connected. */
  "session:ready": (payload: { user: SessionUser; serverTime: string }) => void;
  /** The session was closed (logout elsewhere, the account changed by an admin): the console goes back to the login page. */
  "session:ended": (payload: { reason: SessionEndReason }) => void;
  /** Users of the organisation connected right now, per role (supervisors and admins only). */
  "presence:counts": (payload: { organisationId: string; counts: Record<Role, number> }) => void;
}

export interface ClientToServer {
  /** The agent's console is alive: renews the lease on the held patient. */
  "agent:heartbeat": (ack: (r: { holding: boolean }) => void) => void;
  /** Round-trip probe used by the connection indicator; acknowledges with the server time. */
  "ping": (ack: (serverTime: string) => void) => void;
}
