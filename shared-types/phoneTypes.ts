// The kinds of phone numbers a listing gives (libphonenumber's types), as the console and the exports name them.
export type PhoneType = "mobile" | "fixed" | "voip" | "other";
export const PHONE_TYPE_LABELS: Record<PhoneType, string> = { mobile: "portable", fixed: "fixe", voip: "internet (VoIP)", other: "autre" };
export const phoneTypeLabel = (type: string): string => PHONE_TYPE_LABELS[type as PhoneType] ?? type;
