// Browser tests start a platform and Chromium per file and wait on real workflows: two minutes each.
jest.setTimeout(120_000);
