// Who may do what: the one role × action table, used by every route and socket handler.
import type { Role } from "../../shared-types/events.ts";
import { errors } from "../errors.ts";

export const ROLES = ["admin", "coordinator", "supervisor", "agent"] as const satisfies readonly Role[];
const everyone = ROLES;

export const policy = {
  "session:read": everyone,
  "organisation:list": ["admin"],
  "organisation:create": ["admin"],
  /** The organisation's own settings (time zone). */
  "organisation:configure": ["admin"],
  "user:list": ["admin"],
  "user:create": ["admin"],
  "user:update": ["admin"],
  "audit:read": ["admin"],
  "campaign:list": everyone,
  "campaign:create": ["coordinator"],
  "import:create": ["coordinator"],
  /** An import's status, counts and the reasons of its rejected rows. */
  "import:read": ["coordinator", "supervisor"],
  /** The rows of a listing as the fund gave them (rejections.csv, the preview of the first rows): names, birth dates,
   * phones, addresses, an identities export like the patient export. */
  "import:rows": ["coordinator"],
  /** The organisation's saved column mappings (applied to the next files with the same headers): list and delete. */
  "import:mappings": ["coordinator"],
  "patient:export": ["coordinator"],
  "gp:list": ["coordinator", "supervisor"],
  "dialer:work": ["agent"],
  "campaign:configure": ["coordinator"],
  "campaign:control": ["coordinator", "supervisor"],
  "telephony:configure": ["admin"],
  "live:presence": ["admin", "supervisor", "coordinator"],
  /** Act on the work in progress: force a pause, release a held patient, reassign a callback. */
  "supervision:act": ["supervisor"],
  // Consent, opposition, matching (DESIGN.md steps 5–6)
  "script:read": ["coordinator", "supervisor"],
  "script:edit": ["coordinator"],
  "opposition:manage": ["coordinator"],
  "orientation:list": ["coordinator", "supervisor"],
  /** Answer for a GP or team (confirm, decline, declare capacity), logged as such. */
  "orientation:answer": ["coordinator"],
  "gplink:manage": ["coordinator"],
  "team:profile": ["coordinator"],
  "declaration:manage": ["coordinator"],
  // Reports and privacy (DESIGN step 8, rule 7)
  /** Aggregates only: campaign report, territorial diagnosis, before/after, and their exports. */
  "report:read": ["coordinator", "supervisor"],
  /** Exports with patients' identities (the oriented patients for their GPs). */
  "report:identities": ["coordinator"],
  /** A patient's rights: search, access export, erasure. */
  "privacy:patient": ["coordinator"],
  "retention:configure": ["admin"],
  "audit:export": ["admin"],
  /** The BullMQ queues dashboard (bull-board, read-only) at /api/admin/queues. */
  "queues:monitor": ["admin"],
  // Why a patient is not called now (dialer explanation); finding a patient by name shows identities.
  "dialer:explain": ["coordinator", "supervisor"],
  "patient:search": ["coordinator"],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof policy;

export function can(role: Role, action: Action): boolean {
  return (policy[action] as readonly Role[]).includes(role);
}

export function assertCan(role: Role, action: Action): void {
  if (!can(role, action)) throw errors.forbidden();
}
