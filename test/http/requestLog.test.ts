// A request's log line carries neither credentials nor identities: no cookie (sent or set), no query string.
import { Writable } from "node:stream";
import express from "express";
import { pino } from "pino";
import { pinoHttp } from "pino-http";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { httpLogSerializers } from "../../server/logger.ts";

describe("request log lines", () => {
  it("keep the method, path and status, not the cookie, the set-cookie or the search", async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const app = express();
    app.use(pinoHttp({ logger: pino({ level: "info" }, sink), serializers: httpLogSerializers }));
    app.get("/api/privacy/patients", (_req, res) => {
      res.cookie("omt_session", "jeton-secret-de-session").json([]);
    });
    await request(app).get("/api/privacy/patients?q=MARTIN&birthDate=1961-08-18").set("Cookie", "omt_session=jeton-envoye").expect(200);
    const line = JSON.parse(lines.at(-1)!);
    expect(line.req).toMatchObject({ method: "GET", path: "/api/privacy/patients" });
    expect(line.res).toEqual({ statusCode: 200 });
    expect(lines.join("")).not.toMatch(/MARTIN|1961|jeton-secret|jeton-envoye/);
  });
});
