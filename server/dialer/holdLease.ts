/** How long a hold lasts without a heartbeat from the agent's console. */
export const HOLD_LEASE_SECONDS = 90;
export const leaseUntil = (now = new Date()) => new Date(now.getTime() + HOLD_LEASE_SECONDS * 1000);
