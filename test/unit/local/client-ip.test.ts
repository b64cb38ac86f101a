/** The client address behind a reverse proxy (local/gateway.ts clientIp): believed from trusted proxies only. */
import { clientIp } from '../../../local/gateway';

const req = (remoteAddress: string, forwarded?: string) => ({ socket: { remoteAddress }, headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded } }) as Parameters<typeof clientIp>[0];
const nginxHere = new Set(['127.0.0.1', '::1']);

it('is the peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
  expect(clientIp(req('203.0.113.7', '198.51.100.1'), new Set())).toBe('203.0.113.7');
});

it('is the right-most forwarded hop that is not a trusted proxy, when the peer is one', () => {
  expect(clientIp(req('127.0.0.1', '198.51.100.9'), nginxHere)).toBe('198.51.100.9');
  // A client that sends its own X-Forwarded-For: nginx appends the real address, which is the one taken.
  expect(clientIp(req('127.0.0.1', '10.0.0.1, 198.51.100.9'), nginxHere)).toBe('198.51.100.9');
  expect(clientIp(req('::ffff:127.0.0.1', '198.51.100.9, 127.0.0.1'), nginxHere)).toBe('198.51.100.9');
});

it('is the peer itself when a trusted proxy forwards nothing', () => {
  expect(clientIp(req('127.0.0.1'), nginxHere)).toBe('127.0.0.1');
});

it('ignores X-Forwarded-For from an address that is not a trusted proxy', () => {
  expect(clientIp(req('192.0.2.50', '198.51.100.9'), nginxHere)).toBe('192.0.2.50');
});
