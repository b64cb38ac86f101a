/** The one-machine token issuer: its audience (the issuer is the platform's own URL). */
export const LOCAL_AUDIENCE = 'local-platform';
