const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text made safe to place in HTML, in an element or a quoted attribute (OWASP XSS Prevention Cheat Sheet, rule 1
 * and 2): the five characters that could end the text or the attribute become entities. For a mail or a page that
 * shows something a user wrote (a name, a user agent): never their HTML.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ENTITIES[character]);
}
