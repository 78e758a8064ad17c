// The socket.io event map, shared by the server (Server<ClientToServer, ServerToClient>)
// and the console (Socket<ServerToClient, ClientToServer>). One place, both sides typed.

export type Role = "admin" | "coordinator" | "supervisor" | "agent";
export type OrganisationKind = "CPAM" | "MSA" | "CPTS";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  organisation: { id: string; name: string; kind: OrganisationKind };
}

export interface ServerToClient {
  /** Sent once after the handshake: who the server thinks is connected. */
  "session:ready": (payload: { user: SessionUser; serverTime: string }) => void;
  /** The session was closed (logout elsewhere, expiry): the console goes back to the login page. */
  "session:ended": (payload: { reason: "logout" | "expired" }) => void;
  /** Users of the organisation connected right now, per role (supervisors and admins only). */
  "presence:counts": (payload: { organisationId: string; counts: Record<Role, number> }) => void;
}

export interface ClientToServer {
  /** Round-trip probe used by the connection indicator; acknowledges with the server time. */
  "ping": (ack: (serverTime: string) => void) => void;
}
