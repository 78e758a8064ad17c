-- An uploaded listing's bytes are deleted when its import ends (done or failed): the file holds the listing's
-- identities and NIRs in clear, and is never read again. Files of imports that ended before this rule go now.
DELETE FROM "ImportChunk" c USING "Import" i WHERE i."id" = c."importId" AND i."status" IN ('done', 'failed');
