/** Every application route is under this versioned prefix (OWASP API9: one inventory, one version). */
export const API_PREFIX = 'api/v1';
