// Task tokens are derived from the execution ARN and the step's journal key, so a replay after a restart
// regenerates exactly the token that was handed out before. They decode back to both, which saves a lookup
// table and lets the engine answer InvalidToken for anything it did not issue.
const PREFIX = 'lsfn1.';

export interface TokenRef {
  executionArn: string;
  key: string;
}

export function encodeToken(ref: TokenRef): string {
  return PREFIX + Buffer.from(JSON.stringify({ e: ref.executionArn, k: ref.key }), 'utf8').toString('base64url');
}

export function decodeToken(token: string): TokenRef | undefined {
  if (!token.startsWith(PREFIX)) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token.slice(PREFIX.length), 'base64url').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && 'e' in parsed && 'k' in parsed) {
      const { e, k } = parsed;
      if (typeof e === 'string' && typeof k === 'string') return { executionArn: e, key: k };
    }
  } catch {
    // not one of ours
  }
  return undefined;
}
