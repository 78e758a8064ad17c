import { describe, expect, it } from "vitest";
import { db } from "../../server/db.ts";
import { writeAudit } from "../../server/audit/writeAudit.ts";

describe("audit log is append-only", () => {
  it("the database refuses UPDATE, DELETE and TRUNCATE", async () => {
    await writeAudit(db(), { action: "test.entry", actorLabel: "test", details: { n: 1 } });
    const row = await db().auditLog.findFirstOrThrow({ where: { action: "test.entry" }, orderBy: { id: "desc" } });
    await expect(db().$executeRaw`UPDATE "AuditLog" SET action = 'changed' WHERE id = ${row.id}`).rejects.toThrow(/append-only/);
    await expect(db().$executeRaw`DELETE FROM "AuditLog" WHERE id = ${row.id}`).rejects.toThrow(/append-only/);
    await expect(db().$executeRawUnsafe(`TRUNCATE "AuditLog"`)).rejects.toThrow(/append-only/);
    await expect(db().auditLog.update({ where: { id: row.id }, data: { action: "x" } })).rejects.toThrow();
    const again = await db().auditLog.findUniqueOrThrow({ where: { id: row.id } });
    expect(again.action).toBe("test.entry");
  });
});
