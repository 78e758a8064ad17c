// A GP's link sent by e-mail through a real SMTP server (a local one, started by the test).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import nodemailer from "nodemailer";
import { SMTPServer } from "smtp-server";
import type { AddressInfo } from "node:net";
import { inTransaction, pgPool } from "../../server/pgPool.ts";
import { createGpLink } from "../../server/matching/createGpLink.ts";
import { sendGpLink } from "../../server/matching/sendGpLink.ts";
import { verifyGpLink } from "../../server/matching/verifyGpLink.ts";
import { makeOrganisation, makeUser } from "../factories/organisations.ts";
import { makeGp } from "../factories/matching.ts";
import { loginAs, startTestApp, type TestApp } from "../helpers/api.ts";

const received: { to: string[]; data: string }[] = [];
let smtp: SMTPServer;
let port: number;
let t: TestApp;
beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true, disabledCommands: ["STARTTLS"], logger: false,
    onData(stream, session, done) {
      let data = "";
      stream.on("data", (c: Buffer) => (data += c.toString("utf8")));
      stream.on("end", () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
        done();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  port = (smtp.server.address() as AddressInfo).port;
  t = await startTestApp();
});
afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(resolve));
  await t.close();
});

describe("GP link by e-mail", () => {
  it("sends the link to the GP's address from the roster; the link in the mail opens the GP's page; logged", async () => {
    const org = await makeOrganisation();
    const { user } = await makeUser(org.id, "coordinator");
    const gp = await makeGp(org.id, { lastName: "NOEL" });
    await pgPool().query(`UPDATE "Gp" SET "email" = 'dr.noel@mssante.fr' WHERE "id" = $1`, [gp.id]);
    const link = await inTransaction((c) => createGpLink(c, { kind: "gp", id: gp.id, organisationId: org.id }, { purpose: "capacity", validDays: 30 }, { id: user.id }));
    const transport = nodemailer.createTransport({ host: "127.0.0.1", port, secure: false, ignoreTLS: true });
    const sent = await inTransaction((c) => sendGpLink(c, { organisationId: org.id, userId: user.id }, link.id, null, transport));
    expect(sent).toEqual({ sentTo: "dr.noel@mssante.fr" });
    const mail = received.at(-1)!;
    expect(mail.to).toEqual(["dr.noel@mssante.fr"]);
    const body = mail.data.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
    expect(body).toContain(link.url);
    const token = link.url.split("/lien/")[1];
    await expect(verifyGpLink(pgPool(), token, "capacity")).resolves.toMatchObject({ id: link.id });
    const audit = (await pgPool().query(`SELECT "details" FROM "AuditLog" WHERE "action" = 'gplink.send' AND "targetId" = $1`, [link.id])).rows;
    expect(audit).toEqual([{ details: { to: "dr.noel@mssante.fr" } }]);
    // a revoked link is not sent
    await pgPool().query(`UPDATE "GpLink" SET "revokedAt" = now() WHERE "id" = $1`, [link.id]);
    await expect(inTransaction((c) => sendGpLink(c, { organisationId: org.id, userId: user.id }, link.id, null, transport))).rejects.toThrow(/désactivé ou expiré/);
  });

  it("without an SMTP server the console is told to print or copy the link", async () => {
    const coordinator = await loginAs(t.app, "coordinator");
    const gp = await makeGp(coordinator.user.organisationId);
    const made = await coordinator.agent.post("/api/links").set("x-csrf-token", coordinator.csrf).send({ kind: "gp", id: gp.id, purpose: "orientations" }).expect(201);
    expect(made.body.canEmail).toBe(false);
    const res = await coordinator.agent.post(`/api/links/${made.body.id}/send`).set("x-csrf-token", coordinator.csrf).send({ email: "x@y.fr" }).expect(409);
    expect(res.body.error.message).toMatch(/imprimez ou copiez le lien/);
  });
});
