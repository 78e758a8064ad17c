-- Agents belong to a team or site; a campaign is worked by named agents, by whole teams, or (both empty) by everyone.
ALTER TABLE "User" ADD COLUMN "team" TEXT;
ALTER TABLE "Campaign" ADD COLUMN "agentTeams" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];

-- The priority order is editable: the patients still to call move to their new rank in the background.
ALTER TABLE "Campaign" ADD COLUMN "reorderPending" BOOLEAN NOT NULL DEFAULT false;
