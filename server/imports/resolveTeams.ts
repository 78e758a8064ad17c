// Which MSP team each team name of a roster is. Rosters name one team many ways: « MSP des Trois Rivières »,
// « MSP Trois-Rivières », « msp des trois rivieres », « Maison de santé des Trois Rivières ». Names that are the same
// once folded (teamKey: case, accents, punctuation and spacing, the « MSP » / « maison de santé » words, articles)
// are one team: the organisation's oldest team of that key, else a new one. A team keeps its spelling unless a roster
// writes it richer (accents, mixed case: chooseSpelling's rule), as a patient's name does.
import type pg from "pg";
import { expandAbbreviations, isRicher } from "./chooseSpelling.ts";
import { normaliseText } from "./parsing/normaliseText.ts";

/** What says "a multi-professional health centre" in a name, not which one. */
const KIND = /(^| )(maison de sante( pluri ?professionnelle| pluridisciplinaire)?|m ?s ?p)(?= |$)/g;
const ARTICLES = new Set(["le", "la", "les", "l", "de", "du", "des", "d", "au", "aux"]);

/** The team a name says, folded: « MSP des Trois Rivières » and « msp trois-rivieres » give « troisrivieres ». */
export function teamKey(name: string): string {
  const text = normaliseText(expandAbbreviations(name));
  const words = text.replace(KIND, " ").split(" ").filter((w) => w && !ARTICLES.has(w));
  // a name that is only « MSP » (or only articles) is its own team
  return words.length ? words.join("") : text.replace(/ /g, "");
}

/** The id of the team each of `names` is, creating the teams none of the organisation's is. */
export async function resolveTeams(client: pg.PoolClient, organisationId: string, names: string[]): Promise<Map<string, string>> {
  const idOf = new Map<string, string>();
  if (!names.length) return idOf;
  // two rosters of one organisation at once: the second waits here, then finds the teams the first created
  await client.query(`SELECT pg_advisory_xact_lock(hashtext('teams:' || $1))`, [organisationId]);
  const { rows: teams } = await client.query<{ id: string; name: string }>(
    `SELECT "id", "name" FROM "Team" WHERE "organisationId" = $1 ORDER BY "createdAt", "id"`, [organisationId]);
  const known = new Map<string, { id: string; name: string }>();
  for (const t of teams) if (!known.has(teamKey(t.name))) known.set(teamKey(t.name), t);

  // the batch's spellings of each team, the richest kept (the first seen on a tie)
  const spelled = new Map<string, string[]>();
  for (const name of names) spelled.set(teamKey(name), [...(spelled.get(teamKey(name)) ?? []), name]);
  for (const [key, spellings] of spelled) {
    const richest = spellings.reduce((kept, s) => (isRicher(s, kept) ? s : kept));
    let team = known.get(key);
    if (!team) {
      const { rows } = await client.query<{ id: string; name: string }>(
        `INSERT INTO "Team" ("id", "organisationId", "name") VALUES (gen_random_uuid(), $1, $2)
         ON CONFLICT ("organisationId", "name") DO UPDATE SET "name" = EXCLUDED."name" RETURNING "id", "name"`,
        [organisationId, richest],
      );
      team = rows[0];
    } else if (isRicher(richest, team.name)) {
      // unless another team of the organisation has that very name (two teams of one key created before this rule)
      await client.query(
        `UPDATE "Team" SET "name" = $2 WHERE "id" = $1 AND NOT EXISTS (SELECT 1 FROM "Team" o WHERE o."organisationId" = $3 AND o."name" = $2)`,
        [team.id, richest, organisationId],
      );
    }
    for (const name of spellings) idOf.set(name, team.id);
  }
  return idOf;
}
