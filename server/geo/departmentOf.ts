// The department of a commune INSEE code: two characters (01…95, 2A, 2B), three overseas (971…989).
export function departmentOf(inseeCode: string): string {
  const code = inseeCode.trim().toUpperCase();
  return code.startsWith("97") || code.startsWith("98") ? code.slice(0, 3) : code.slice(0, 2);
}
