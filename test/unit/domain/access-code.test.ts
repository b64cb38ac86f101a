import { accessCodeMatches, hashAccessCode, newAccessCode } from '../../../lambdas/domain/complaints/access-code';

describe('access codes', () => {
  it('are 12 characters without look-alike characters, and differ between complaints', () => {
    const codes = Array.from({ length: 200 }, newAccessCode);
    for (const c of codes) expect(c).toMatch(/^[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{12}$/);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('are stored as a salted hash that does not contain the code', () => {
    const code = newAccessCode();
    const stored = hashAccessCode(code);
    expect(JSON.stringify(stored)).not.toContain(code);
    expect(hashAccessCode(code).hash).not.toBe(stored.hash); // a new salt each time
  });

  it('match when typed in lower case or with dashes, and only the right code matches', () => {
    const stored = hashAccessCode('ABCD2345EFGH');
    expect(accessCodeMatches('abcd-2345-efgh', stored)).toBe(true);
    expect(accessCodeMatches('ABCD2345EFGJ', stored)).toBe(false);
  });
});
