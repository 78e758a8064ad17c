// The kinds of phone numbers a listing gives (libphonenumber's types), as the console and the exports name them.
export type PhoneType = "mobile" | "fixed" | "voip" | "other";
export const PHONE_TYPE_LABELS: Record<PhoneType, string> = { mobile: "portable", fixed: "fixe", voip: "internet (VoIP)", other: "autre" };
export const phoneTypeLabel = (type: string): string => PHONE_TYPE_LABELS[type as PhoneType] ?? type;

/** French numbers as people read them: « +33612345678 » is « 06 12 34 56 78 », « +262692123456 » (Réunion, Mayotte,
 * Antilles, Guyane) « 0692 12 34 56 »; any other number stays in E.164. */
export function formatPhone(e164: string): string {
  const metro = /^\+33([1-9])(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(e164);
  if (metro) return `0${metro.slice(1).join(" ")}`;
  const overseas = /^\+(?:262|590|594|596)(\d{3})(\d{2})(\d{2})(\d{2})$/.exec(e164);
  if (overseas) return `0${overseas.slice(1).join(" ")}`;
  return e164;
}
