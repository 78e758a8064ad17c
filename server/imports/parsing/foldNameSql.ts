// The SQL twin of normaliseName, for searching stored names (which keep the listing's spelling): a column folded as
// normaliseName folds a query (ligatures, accents, apostrophes dropped, particles glued: « D’ARTAGNAN » is DARTAGNAN,
// « CŒUR » is COEUR), followed by its plain words, so that « artagnan » finds it too. Match each query word w with
// `' ' || folded || ' ' LIKE '% ' || w || '%'`.
import { PARTICLES } from "./normaliseName.ts";

const ACCENTED = "àâäáãåéèêëíìîïóòôöõúùûüçñÿÀÂÄÁÃÅÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÇÑŸ";
const PLAIN = "AAAAAAEEEEIIIIOOOOOUUUUCNYAAAAAAEEEEIIIIOOOOOUUUUCNY";

const upperPlain = (column: string) =>
  `translate(replace(replace(replace(upper(coalesce(${column}, '')), 'Œ', 'OE'), 'Æ', 'AE'), 'ß', 'SS'), '${ACCENTED}', '${PLAIN}')`;

export function foldNameSql(column: string): string {
  const glued = `regexp_replace(regexp_replace(regexp_replace(${upperPlain(column)}, '[''’‘\`´]', '', 'g'), '[^A-Z0-9]+', ' ', 'g'),
    '\\m(${[...PARTICLES].join("|")}) (?=[A-Z0-9])', '\\1', 'g')`;
  return `${glued} || ' ' || regexp_replace(${upperPlain(column)}, '[^A-Z0-9]+', ' ', 'g')`;
}

/** True when every word of the folded query starts a word of one of the columns. */
export function everyWordSql(columns: string[], wordsParam: string): string {
  const name = columns.map(foldNameSql).join(" || ' ' || ");
  return `(SELECT bool_and(' ' || ${name} || ' ' LIKE '% ' || w || '%') FROM unnest(${wordsParam}::text[]) AS w)`;
}
