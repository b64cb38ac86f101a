describe('the logger keeps personal data out of the logs', () => {
  const lines: string[] = [];
  let spy: jest.SpyInstance[] = [];
  beforeEach(() => {
    lines.length = 0;
    process.env.LOG_LEVEL = 'info';
    jest.resetModules();
    spy = [
      jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => (lines.push(String(s)), true)),
      jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => (lines.push(String(s)), true)),
    ];
  });
  afterEach(() => {
    spy.forEach((s) => s.mockRestore());
    process.env.LOG_LEVEL = 'silent';
  });

  it('redacts personal fields and masks mobile numbers wherever they appear', async () => {
    const { logger } = await import('../../../lambdas/platform/logger');
    logger.info('call back 13912345678 please', { contact: { phone: '13912345678' }, receiptNo: 'TS-2026-000001', note: 'tel:13800138000' });
    logger.error('failed', { error: new Error('bad phone 15012345678, also +8613800138000 and 0086 13700137000') });
    logger.warn('written in groups: 138-0013-8000 or +86 139 1234 5678');
    const out = lines.join('');
    expect(out).not.toMatch(/1[3-9]\d{9}/);
    expect(out).not.toMatch(/1[3-9]\d[\s-]\d{4}[\s-]\d{4}/);
    expect(out).not.toMatch(/\+86|0086/);
    expect(out).toContain('TS-2026-000001');
    expect(out).toContain('[redacted]');
  });
});
