// Who works a campaign: the agents named in its rules (agentIds), the agents of the teams named there (agentTeams,
// matched on User.team), or, when both lists are empty, every agent of the organisation. The one definition, used by
// the claim (which campaigns hand an agent their patients) and by the supervision (to whom a callback may go).

/** SQL condition: the agent whose id is the expression `agent` (a uuid) works the campaign aliased `c`. */
export const agentWorksCampaignSql = (c: string, agent: string) => `((cardinality(${c}."agentIds") = 0 AND cardinality(${c}."agentTeams") = 0)
  OR ${agent}::text = ANY(${c}."agentIds")
  OR (SELECT u."team" FROM "User" u WHERE u."id" = ${agent}) = ANY(${c}."agentTeams"))`;

/** A team name as stored and compared: trimmed, inner spaces collapsed (« Plateau  de Lyon » is « Plateau de Lyon »). */
export const teamName = (name: string) => name.trim().replace(/\s+/g, " ");
