-- The NIR is kept only as a keyed hash, but rows kept as the listing gave them held it in clear: the rejected rows
-- (ImportRejection.cells, sent back to the fund as rejections.csv) and the first rows shown to fix a mapping
-- (Import.preview.rows). The same mask as server/imports/maskNirCells.ts, from each import's stored mapping: the
-- column mapped to "nir" always, and a cell shaped like a NIR in a column mapped to nothing; first character and
-- length kept (« 1•••••••••••••• »). The preview rows of an import past its mapping are no longer shown to anyone:
-- they are dropped (prepareImport and confirmMapping now drop them too).
CREATE FUNCTION "omt_mask_nir_cells"(cells TEXT[], mapping JSONB) RETURNS TEXT[] LANGUAGE sql IMMUTABLE AS $$
  WITH m AS (
    SELECT CASE WHEN jsonb_typeof(mapping -> 'nir') = 'number' THEN (mapping ->> 'nir')::int END AS nir,
      ARRAY(SELECT x::int FROM jsonb_each(COALESCE(mapping, '{}'::jsonb)) AS e(k, v),
        jsonb_array_elements_text(CASE jsonb_typeof(e.v) WHEN 'array' THEN e.v ELSE jsonb_build_array(e.v) END) AS x) AS mapped
  ), c AS (
    SELECT u.i, u.cell, regexp_replace(u.cell, '[\s.\-]', '', 'g') AS compact FROM unnest(cells) WITH ORDINALITY AS u(cell, i)
  )
  SELECT COALESCE(array_agg(
    CASE
      WHEN c.i - 1 = m.nir OR (NOT (c.i - 1 = ANY (m.mapped)) AND c.compact ~* '^[1-478][0-9]{4}(?:[0-9]{2}|2A|2B)[0-9]{6}(?:[0-9]{2})?$')
        THEN CASE WHEN c.compact = '' THEN '' ELSE left(c.compact, 1) || repeat('•', length(c.compact) - 1) END
      ELSE c.cell
    END ORDER BY c.i), '{}')
  FROM m, c
$$;

UPDATE "ImportRejection" r SET "cells" = "omt_mask_nir_cells"(r."cells", i."mapping")
FROM "Import" i
WHERE i."id" = r."importId" AND r."cells" IS DISTINCT FROM "omt_mask_nir_cells"(r."cells", i."mapping");

UPDATE "Import" SET "preview" = jsonb_set("preview", '{rows}', '[]'::jsonb)
WHERE "status" <> 'uploaded' AND jsonb_typeof("preview" -> 'rows') = 'array' AND jsonb_array_length("preview" -> 'rows') > 0;

UPDATE "Import" SET "preview" = jsonb_set("preview", '{rows}', COALESCE((
    SELECT jsonb_agg(jsonb_set(x.r, '{cells}', to_jsonb("omt_mask_nir_cells"(ARRAY(SELECT jsonb_array_elements_text(x.r -> 'cells')), "mapping"))) ORDER BY x.o)
    FROM jsonb_array_elements("preview" -> 'rows') WITH ORDINALITY AS x(r, o)), '[]'::jsonb))
WHERE "status" = 'uploaded' AND jsonb_typeof("preview" -> 'rows') = 'array';

DROP FUNCTION "omt_mask_nir_cells"(TEXT[], JSONB);
