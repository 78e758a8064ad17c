import { describe, expect, it } from "vitest";
import { db } from "../../server/db.ts";
import { runTs } from "../helpers/run.ts";

const cli = (args: string[], input?: string) => runTs("server/cli/main.ts", args, { input });

describe("npm run cli", () => {
  it("org create prints the organisation as JSON and audits it", async () => {
    const name = `CPTS Nord Velay Forez ${Date.now()}`;
    const res = await cli(["org", "create", "--kind", "CPTS", "--name", name, "--territory", "42218, 42095 2A004"]);
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    const org = JSON.parse(res.stdout);
    expect(org).toMatchObject({ kind: "CPTS", name, territory: ["42218", "42095", "2A004"] });
    expect(await db().auditLog.count({ where: { targetId: org.id, action: "organisation.create", actorLabel: "cli" } })).toBe(1);
  });

  it("user create takes --password, or reads it from the prompt, and never prints the hash", async () => {
    const org = JSON.parse((await cli(["org", "create", "--kind", "MSA", "--name", `MSA ${Date.now()}`])).stdout);
    const a = await cli(["user", "create", "--name", "Camille Test", "--org", org.id, "--email", `Coord-${Date.now()}@MSA.fr`, "--role", "coordinator", "--password", "un-mot-de-passe-solide"]);
    expect(a.code).toBe(0);
    const created = JSON.parse(a.stdout);
    expect(created).toMatchObject({ organisationId: org.id, role: "coordinator", active: true });
    expect(created.email).toBe(created.email.toLowerCase());
    expect(a.stdout).not.toMatch(/argon2|passwordHash/);
    const b = await cli(["user", "create", "--name", "Camille Test", "--org", org.id, "--email", `agent-${Date.now()}@msa.fr`, "--role", "agent"], "mot-de-passe-saisi-au-clavier\n");
    expect(b.code).toBe(0);
    expect(JSON.parse(b.stdout.slice(b.stdout.indexOf("{")))).toMatchObject({ role: "agent" });
    // no password and nothing to read it from: a clear refusal, not a silent exit
    const c = await cli(["user", "create", "--name", "Camille Test", "--org", org.id, "--email", `sans-${Date.now()}@msa.fr`, "--role", "agent"]);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/Erreur : Mot de passe non saisi : donnez --password, ou lancez la commande dans un terminal\./);
  });

  it("bad input: clear French errors on stderr, non-zero exit, nothing written", async () => {
    const before = await db().user.count();
    const badRole = await cli(["user", "create", "--name", "Camille Test", "--org", "x", "--email", "a@b.fr", "--role", "chef"]);
    expect(badRole.code).not.toBe(0);
    expect(badRole.stderr).toMatch(/^Erreur : la valeur « chef » de l'option « --role <role> » n'est pas possible ; valeurs possibles : /);
    // commander's own errors, in French
    expect((await cli(["user", "create", "--org", "x"])).stderr).toMatch(/^Erreur : l'option obligatoire « --\w+ <\w+> » manque/);
    expect((await cli(["org", "creat"])).stderr).toMatch(/^Erreur : commande inconnue « creat »\n\(vouliez-vous dire create \?\)/);
    expect((await cli(["org", "list", "--frob"])).stderr).toMatch(/^Erreur : option inconnue « --frob »/);
    const badOrg = await cli(["user", "create", "--name", "Camille Test", "--org", "pas-un-uuid", "--email", "a@b.fr", "--role", "agent", "--password", "un-mot-de-passe-solide"]);
    expect(badOrg.code).toBe(2);
    expect(badOrg.stderr).toMatch(/identifiant d'organisation invalide/);
    const unknownOrg = await cli(["user", "create", "--name", "Camille Test", "--org", "00000000-0000-4000-8000-000000000000", "--email", "a@b.fr", "--role", "agent", "--password", "un-mot-de-passe-solide"]);
    expect(unknownOrg.stderr).toMatch(/Organisation introuvable/);
    const shortPassword = await cli(["user", "create", "--name", "Camille Test", "--org", "00000000-0000-4000-8000-000000000000", "--email", "a@b.fr", "--role", "agent", "--password", "court"]);
    expect(shortPassword.stderr).toMatch(/au moins 12 caractères/);
    const badTerritory = await cli(["org", "create", "--kind", "CPTS", "--name", "Mauvais territoire", "--territory", "4221"]);
    expect(badTerritory.stderr).toMatch(/code INSEE de commune invalide/);
    const postalCode = await cli(["org", "create", "--kind", "CPTS", "--name", "Code postal", "--territory", "43000"]);
    expect(postalCode.stderr).toMatch(/code INSEE inconnu : « 43000 » \(c'est un code postal \?\)/);
    const listed = JSON.parse((await cli(["org", "list"])).stdout);
    expect(listed.flatMap((o: object) => Object.keys(o)).filter((k: string) => /twilio|Enc$/i.test(k))).toEqual([]); // no secret, even encrypted
    expect(await db().user.count()).toBe(before);
  });

  it("--help on every command", async () => {
    for (const args of [["--help"], ["org", "create", "--help"], ["user", "create", "--help"], ["export", "patients", "--help"]]) {
      const res = await cli(args);
      expect(res.code).toBe(0);
      expect(res.stdout).toMatch(/^Utilisation : cli /);
      expect(res.stdout).toMatch(/\nOptions :\n/);
      expect(res.stdout).not.toMatch(/Usage|Commands:|choices:|default:/);
    }
  });
});
