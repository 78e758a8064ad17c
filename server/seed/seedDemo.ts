// The demo installation: one CPTS and one CPAM, one user per role, a demo campaign.
// Idempotent: running it again changes nothing, and two processes starting at once (two web processes
// of a compose file) seed it one after the other under an advisory lock. Passwords are derived from SESSION_SECRET,
// so they stay the same across restarts of one installation and differ between installations.
import { createHmac } from "node:crypto";
import type { Role } from "../../shared-types/events.ts";
import type { Db } from "../db.ts";
import { env } from "../env.ts";
import { withAdvisoryLock } from "../pgPool.ts";
import { createOrganisation } from "../organisations/createOrganisation.ts";
import { createUser, prepareUser } from "../users/createUser.ts";
import { Readable } from "node:stream";
import { acceptListing } from "../imports/acceptListing.ts";
import { runImport } from "../imports/runImport.ts";
import { encodeCpam, generateListing } from "./demoListing.ts";
import { generateDemoRoster } from "./demoRoster.ts";
import { DEMO_TERRITORY } from "./demoTerritory.ts";

/** 300 synthetic patients of the CPTS's territory through the real import path, as a fund's listing would arrive. */
async function importDemoListing(prisma: Db, organisationId: string, campaignId: string) {
  const file = encodeCpam(generateListing(300, 2026, DEMO_TERRITORY).text);
  const accepted = await acceptListing(prisma, { organisationId, campaignId, kind: "patients" }, Readable.from([file]), "listing-demo-cpam.csv", { actorLabel: "seed" }, { acceptUnsure: true });
  await runImport(accepted.importId);
}

/** The demo GP roster (with two MSP teams) through the real roster import path. */
async function importDemoRoster(prisma: Db, organisationId: string) {
  const accepted = await acceptListing(prisma, { organisationId, campaignId: null, kind: "gps" }, Readable.from([Buffer.from(generateDemoRoster(), "utf8")]), "annuaire-demo.csv", { actorLabel: "seed" }, { acceptUnsure: true });
  await runImport(accepted.importId);
}

export const DEMO_ORGANISATIONS = [
  { key: "cpts", kind: "CPTS", name: "CPTS Nord Velay Forez (démo)", territory: DEMO_TERRITORY },
  { key: "cpam", kind: "CPAM", name: "CPAM de la Loire (démo)", territory: [] },
] as const;

export const DEMO_USERS: { org: "cpts" | "cpam"; role: Role; email: string; name: string }[] = [
  { org: "cpts", role: "admin", email: "admin@demo.cpts.fr", name: "Alice Administratrice" },
  { org: "cpts", role: "coordinator", email: "coordination@demo.cpts.fr", name: "Claire Coordinatrice" },
  { org: "cpts", role: "supervisor", email: "supervision@demo.cpts.fr", name: "Samuel Superviseur" },
  { org: "cpts", role: "agent", email: "agent@demo.cpts.fr", name: "Anaïs Agente" },
  { org: "cpam", role: "admin", email: "admin@demo.cpam.fr", name: "Bruno Administrateur" },
  { org: "cpam", role: "coordinator", email: "coordination@demo.cpam.fr", name: "Chloé Coordinatrice" },
];

export function demoPassword(email: string): string {
  return `Demo-${createHmac("sha256", env().SESSION_SECRET).update(`demo:${email}`).digest("base64url").slice(0, 12)}`;
}

export async function seedDemo(prisma: Db) {
  return withAdvisoryLock("seed:demo", () => seedDemoOnce(prisma));
}

async function seedDemoOnce(prisma: Db) {
  const actor = { actorLabel: "seed" };
  const orgIds: Record<string, string> = {};
  for (const o of DEMO_ORGANISATIONS) {
    const existing = await prisma.organisation.findUnique({ where: { kind_name: { kind: o.kind, name: o.name } } });
    orgIds[o.key] =
      existing?.id ?? (await prisma.$transaction((tx) => createOrganisation(tx, { kind: o.kind, name: o.name, territory: [...o.territory] }, actor))).id;
  }
  const users = [];
  for (const u of DEMO_USERS) {
    const password = demoPassword(u.email);
    if (!(await prisma.user.findUnique({ where: { email: u.email } }))) {
      const prepared = await prepareUser({ email: u.email, name: u.name, role: u.role, password });
      await prisma.$transaction((tx) => createUser(tx, orgIds[u.org], prepared, actor));
    }
    users.push({ ...u, password, organisation: DEMO_ORGANISATIONS.find((o) => o.key === u.org)!.name });
  }
  const campaignName = "Démo — patients ALD sans médecin traitant";
  const existing = await prisma.campaign.findUnique({ where: { organisationId_name: { organisationId: orgIds.cpts, name: campaignName } } });
  if (!existing) {
    // Calling windows widened to every hour of every day, so the demo can be tried at any time.
    const allDay = Object.fromEntries(["1", "2", "3", "4", "5", "6", "7"].map((d) => [d, [["00:00", "23:59"]]]));
    const campaign = await prisma.campaign.create({
      data: { organisationId: orgIds.cpts, name: campaignName, type: "ald_sans_mt", status: "running", callingWindows: allDay, skipPublicHolidays: false },
    });
    await importDemoListing(prisma, orgIds.cpts, campaign.id);
  }
  if (!(await prisma.gp.count({ where: { organisationId: orgIds.cpts } }))) await importDemoRoster(prisma, orgIds.cpts);
  return { users, organisationIds: orgIds };
}

export function formatDemoUsers(users: Awaited<ReturnType<typeof seedDemo>>["users"]): string {
  const rows = users.map((u) => `  ${u.role.padEnd(12)} ${u.email.padEnd(28)} ${u.password}   (${u.organisation})`);
  return ["Comptes de démonstration (mode démo uniquement) :", ...rows].join("\n");
}
