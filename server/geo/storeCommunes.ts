// The communes of France in PostgreSQL (reports and territory join on them). Idempotent and
// cheap when already there: run at start and by the test set-up.
import type pg from "pg";
import { loadCommunes } from "./communes.ts";

const CHUNK = 5000;

export async function storeCommunes(client: pg.Pool | pg.Client): Promise<number> {
  const records = [...loadCommunes().byCode.values()];
  const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "Commune"`);
  if (Number(rows[0].n) === records.length) return 0;
  for (let i = 0; i < records.length; i += CHUNK) {
    const part = records.slice(i, i + CHUNK);
    await client.query(
      `INSERT INTO "Commune" ("inseeCode", "name", "department", "postalCodes", "population", "lat", "lng", "geoQuality")
       SELECT c, n, d, string_to_array(NULLIF(p, ''), ' '), pop, lat, lng, q
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::float8[], $7::float8[], $8::text[]) AS u(c, n, d, p, pop, lat, lng, q)
       ON CONFLICT ("inseeCode") DO UPDATE SET "name" = EXCLUDED."name", "department" = EXCLUDED."department", "postalCodes" = EXCLUDED."postalCodes",
         "population" = EXCLUDED."population", "lat" = EXCLUDED."lat", "lng" = EXCLUDED."lng", "geoQuality" = EXCLUDED."geoQuality"`,
      [
        part.map((r) => r.inseeCode), part.map((r) => r.name), part.map((r) => r.department), part.map((r) => r.postalCodes.join(" ")),
        part.map((r) => r.population || null), part.map((r) => r.lat), part.map((r) => r.lng), part.map((r) => r.quality),
      ],
    );
  }
  return records.length;
}
