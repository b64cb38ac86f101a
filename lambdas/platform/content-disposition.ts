/** RFC 6266: an ASCII fallback for old clients plus the exact UTF-8 name (Chinese file names are the norm). */
export function attachment(fileName: string): string {
  // Anything outside printable ASCII, quotes and backslashes would break the quoted fallback.
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
