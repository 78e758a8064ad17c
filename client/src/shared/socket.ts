// The live connection: one socket per logged-in tab, typed by the shared event map.
import { useEffect, useState } from "react";
import { io, type Socket } from "socket.io-client";
import type { ClientToServer, ServerToClient } from "../../../shared-types/events.ts";

export type LiveSocket = Socket<ServerToClient, ClientToServer>;
export type ConnectionState = "connecting" | "connected" | "lost";

let socket: LiveSocket | null = null;

export function connectLive(): LiveSocket {
  socket ??= io({ withCredentials: true, transports: ["websocket", "polling"] });
  return socket;
}

export function disconnectLive() {
  socket?.disconnect();
  socket = null;
}

export function useConnectionState(live: LiveSocket | null): ConnectionState {
  const [state, setState] = useState<ConnectionState>(live?.connected ? "connected" : "connecting");
  useEffect(() => {
    if (!live) return;
    const up = () => setState("connected");
    const down = () => setState("lost");
    live.on("connect", up);
    live.on("disconnect", down);
    live.on("connect_error", down);
    if (live.connected) up();
    return () => {
      live.off("connect", up);
      live.off("disconnect", down);
      live.off("connect_error", down);
    };
  }, [live]);
  return state;
}
