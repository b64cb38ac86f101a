// The local S3 endpoint, driven as in AWS: the evidence store's presigned URLs with fetch (the browser's
// path) and the real @aws-sdk/client-s3 with header signatures (the handlers' path), including
// @aws-sdk/lib-storage's multipart Upload.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { startLocalS3, type LocalS3 } from '../../local/s3';

jest.setTimeout(30_000);

type EvidenceStore = typeof import('../../lambdas/platform/evidence-store');

const BUCKET = 'evidence-test';
let root: string;
let dataDir: string;
let s3Local: LocalS3;
let store: EvidenceStore;
let client: S3Client;
/** Moves the local S3's clock only (the SDK keeps signing with real time). */
let clockOffsetMs = 0;

const png = (size: number): Buffer => Buffer.alloc(size, 7);
const md5 = (b: Buffer): string => `"${createHash('md5').update(b).digest('hex')}"`;
const errorCode = (xml: string): string | undefined => /<Code>([^<]+)<\/Code>/.exec(xml)?.[1];
const sdkClient = (credentials = { accessKeyId: 'local', secretAccessKey: 'local' }) =>
  new S3Client({ endpoint: s3Local.endpoint, region: 'local', forcePathStyle: true, credentials, requestChecksumCalculation: 'WHEN_REQUIRED' });

async function put(url: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; text: string; etag: string | null }> {
  const res = await fetch(url, { method: 'PUT', headers, body });
  return { status: res.status, text: await res.text(), etag: res.headers.get('etag') };
}

/** A raw request, so the path reaches the server exactly as written (fetch would resolve "..").*/
function rawRequest(method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(s3Local.endpoint);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Every file under dir, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'local-s3-'));
  dataDir = join(root, 'data');
  s3Local = await startLocalS3({ dataDir, now: () => Date.now() + clockOffsetMs });
  // What the local runtime sets; the evidence store reads its configuration when it loads.
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_S3: s3Local.endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    EVIDENCE_BUCKET: BUCKET,
    AWS_REGION: 'local',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
  store = await import('../../lambdas/platform/evidence-store');
  client = sdkClient();
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

afterEach(() => {
  clockOffsetMs = 0;
});

afterAll(async () => {
  client?.destroy();
  await s3Local?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('buckets (SDK, Authorization header)', () => {
  test('CreateBucket made the bucket, is idempotent, and HeadBucket sees it; an unknown bucket is a 404', async () => {
    await expect(client.send(new CreateBucketCommand({ Bucket: BUCKET }))).resolves.toBeDefined();
    await expect(client.send(new HeadBucketCommand({ Bucket: BUCKET }))).resolves.toBeDefined();
    await expect(client.send(new HeadBucketCommand({ Bucket: 'no-such-bucket' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    expect(existsSync(join(dataDir, BUCKET))).toBe(true);
  });

  test('a request signed with another secret or an unknown access key is refused with 403', async () => {
    const wrongSecret = sdkClient({ accessKeyId: 'local', secretAccessKey: 'not-local' });
    const wrongKey = sdkClient({ accessKeyId: 'someone', secretAccessKey: 'local' });
    await expect(wrongSecret.send(new HeadBucketCommand({ Bucket: BUCKET }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    await expect(wrongKey.send(new CreateBucketCommand({ Bucket: 'other' }))).rejects.toMatchObject({ name: 'InvalidAccessKeyId' });
    await expect(wrongSecret.send(new CreateBucketCommand({ Bucket: 'other' }))).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
    expect(existsSync(join(dataDir, 'other'))).toBe(false);
    wrongSecret.destroy();
    wrongKey.destroy();
  });

  test('an unsigned request is refused with 403 AccessDenied', async () => {
    const res = await fetch(`${s3Local.endpoint}/${BUCKET}/anything`);
    expect(res.status).toBe(403);
    expect(errorCode(await res.text())).toBe('AccessDenied');
  });
});

describe('presigned upload', () => {
  test('presignUpload signs Content-Type and Content-Length, for 15 minutes, without a checksum of an empty body', async () => {
    const before = Date.now();
    const upload = await store.presignUpload('evidence/item-1/a', 'image/png', 1234);
    const url = new URL(upload.url);
    expect(upload.method).toBe('PUT');
    expect(upload.headers).toEqual({ 'Content-Type': 'image/png', 'Content-Length': '1234' });
    expect(url.pathname).toBe(`/${BUCKET}/evidence/item-1/a`);
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect([...url.searchParams.keys()].filter((k) => k.startsWith('x-amz-checksum'))).toEqual([]);
    const expiresAt = Date.parse(upload.expiresAt);
    expect(expiresAt - before).toBeGreaterThanOrEqual(900_000 - 1000);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(900_000);
  });

  test('a PUT with the returned headers stores the file, and describeUpload reports its size and type', async () => {
    const body = png(4321);
    const upload = await store.presignUpload('evidence/item-1/photo', 'image/png', body.length);
    const res = await put(upload.url, upload.headers, body);
    expect(res).toMatchObject({ status: 200, etag: md5(body) });
    expect(await store.describeUpload('evidence/item-1/photo')).toEqual({ size: 4321, contentType: 'image/png' });
    expect(readFileSync(join(dataDir, BUCKET, 'evidence/item-1/photo')).equals(body)).toBe(true);
    // Same answer from the SDK's own GetObject (Authorization header).
    const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'evidence/item-1/photo' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body)).toBe(true);
    expect(got.ContentType).toBe('image/png');
  });

  test('a PUT with another Content-Type is refused with 403 and stores nothing', async () => {
    const upload = await store.presignUpload('evidence/item-2/a', 'image/png', 100);
    const res = await put(upload.url, { 'Content-Type': 'text/html' }, png(100));
    expect(res.status).toBe(403);
    expect(errorCode(res.text)).toBe('SignatureDoesNotMatch');
    expect(await store.describeUpload('evidence/item-2/a')).toBeUndefined();
  });

  test('a PUT of another size (larger or smaller) is refused with 403 and stores nothing', async () => {
    const upload = await store.presignUpload('evidence/item-2/b', 'application/pdf', 100);
    for (const size of [101, 99, 10 * 1024 * 1024 + 1]) {
      const res = await put(upload.url, { 'Content-Type': 'application/pdf' }, png(size));
      expect([size, res.status, errorCode(res.text)]).toEqual([size, 403, 'SignatureDoesNotMatch']);
    }
    expect(await store.describeUpload('evidence/item-2/b')).toBeUndefined();
  });

  test('bytes sent beyond the signed Content-Length never become part of the object', async () => {
    const upload = await store.presignUpload('evidence/item-2/c', 'image/png', 10);
    const url = new URL(upload.url);
    // A raw socket: HTTP clients refuse to send a body longer than its Content-Length. The extra bytes
    // are not body to HTTP (they would be the next request), so at most the signed 10 bytes are stored.
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.end(
          `PUT ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: image/png\r\nContent-Length: 10\r\n\r\n` +
            'A'.repeat(10) +
            'B'.repeat(50),
        );
      });
      let text = '';
      socket.on('data', (c: Buffer) => (text += c.toString('latin1')));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 (200|400)/);
    expect([undefined, { size: 10, contentType: 'image/png' }]).toContainEqual(await store.describeUpload('evidence/item-2/c'));
    const file = join(dataDir, BUCKET, 'evidence/item-2/c');
    if (existsSync(file)) expect(readFileSync(file, 'latin1')).toBe('A'.repeat(10));
  });

  test('a tampered signature, key, expiry or signed-headers list is refused with 403', async () => {
    const upload = await store.presignUpload('evidence/item-3/a', 'image/jpeg', 50);
    const tamper = (edit: (u: URL) => void): string => {
      const u = new URL(upload.url);
      edit(u);
      return u.toString();
    };
    const variants = {
      signature: tamper((u) => {
        const sig = u.searchParams.get('X-Amz-Signature')!;
        u.searchParams.set('X-Amz-Signature', `${sig.slice(0, -1)}${sig.endsWith('0') ? '1' : '0'}`);
      }),
      key: tamper((u) => (u.pathname = `/${BUCKET}/evidence/item-3/b`)),
      expires: tamper((u) => u.searchParams.set('X-Amz-Expires', '604800')),
      // One second later, same day: the credential scope stays valid, only the signature can tell.
      date: tamper((u) => u.searchParams.set('X-Amz-Date', u.searchParams.get('X-Amz-Date')!.replace(/(\d)(\d)Z$/, (_m, t: string, o: string) => `${t}${(Number(o) + 1) % 10}Z`))),
      signedHeaders: tamper((u) => u.searchParams.set('X-Amz-SignedHeaders', 'content-type;host')),
    };
    for (const [what, url] of Object.entries(variants)) {
      const res = await put(url, { 'Content-Type': 'image/jpeg' }, png(50));
      expect([what, res.status, errorCode(res.text)]).toEqual([what, 403, 'SignatureDoesNotMatch']);
    }
    expect(await store.describeUpload('evidence/item-3/a')).toBeUndefined();
    expect(await store.describeUpload('evidence/item-3/b')).toBeUndefined();
    // The untampered URL still works.
    expect((await put(upload.url, { 'Content-Type': 'image/jpeg' }, png(50))).status).toBe(200);
  });

  test('the URL expires after 15 minutes (403 AccessDenied), and is valid until then', async () => {
    const upload = await store.presignUpload('evidence/item-4/a', 'image/webp', 20);
    clockOffsetMs = 16 * 60_000;
    const late = await put(upload.url, { 'Content-Type': 'image/webp' }, png(20));
    expect(late.status).toBe(403);
    expect(errorCode(late.text)).toBe('AccessDenied');
    expect(late.text).toContain('Request has expired');
    clockOffsetMs = 14 * 60_000;
    expect((await put(upload.url, { 'Content-Type': 'image/webp' }, png(20))).status).toBe(200);
  });

  test('a URL signed in the past with a short expiry is refused on the real clock', async () => {
    const url = await getSignedUrl(client, new PutObjectCommand({ Bucket: BUCKET, Key: 'evidence/item-4/b', ContentType: 'image/png', ContentLength: 5 }), {
      expiresIn: 60,
      signingDate: new Date(Date.now() - 2 * 60_000),
      signableHeaders: new Set(['content-type', 'content-length']),
    });
    const res = await put(url, { 'Content-Type': 'image/png' }, png(5));
    expect([res.status, errorCode(res.text)]).toEqual([403, 'AccessDenied']);
  });

  test("the SDK's default checksum of an empty body in a presigned URL is refused as S3 refuses it (400 BadDigest)", async () => {
    const defaultClient = new S3Client({ endpoint: s3Local.endpoint, region: 'local', forcePathStyle: true });
    const url = await getSignedUrl(defaultClient, new PutObjectCommand({ Bucket: BUCKET, Key: 'evidence/item-4/c', ContentType: 'image/png' }));
    expect(url).toContain('x-amz-checksum-crc32=');
    const res = await put(url, { 'Content-Type': 'image/png' }, png(5));
    expect([res.status, errorCode(res.text)]).toEqual([400, 'BadDigest']);
    defaultClient.destroy();
  });

  test('a browser preflight is answered with CORS headers for PUT and GET with content-type', async () => {
    const res = await fetch(`${s3Local.endpoint}/${BUCKET}/evidence/x`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://web.example.org', 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toEqual(expect.stringContaining('PUT'));
    expect(res.headers.get('access-control-allow-methods')).toEqual(expect.stringContaining('GET'));
    expect(res.headers.get('access-control-allow-headers')).toBe('content-type');
  });
});

describe('download, head and delete', () => {
  test('presignDownload returns the bytes, with the type and an attachment named after the original file', async () => {
    const body = png(2048);
    const upload = await store.presignUpload('evidence/item-5/doc', 'application/pdf', body.length);
    expect((await put(upload.url, upload.headers, body)).status).toBe(200);
    const url = await store.presignDownload('evidence/item-5/doc', '整改报告 (final).pdf');
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('300');
    const res = await fetch(url, { headers: { Origin: 'https://web.example.org' } });
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(body)).toBe(true);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const disposition = res.headers.get('content-disposition') ?? '';
    expect(disposition).toMatch(/^attachment; filename="[^"]+"; filename\*=UTF-8''/);
    expect(decodeURIComponent(disposition.split("UTF-8''")[1])).toBe('整改报告 (final).pdf');
  });

  test('a download URL for a missing key is a 404 NoSuchKey, and a tampered one a 403', async () => {
    const url = await store.presignDownload('evidence/none', 'x.pdf');
    const res = await fetch(url);
    expect([res.status, errorCode(await res.text())]).toEqual([404, 'NoSuchKey']);
    const tampered = new URL(url);
    tampered.searchParams.set('response-content-disposition', 'inline');
    expect((await fetch(tampered)).status).toBe(403);
  });

  test('describeUpload of a missing key is undefined; DeleteObject removes the file and its sidecar', async () => {
    expect(await store.describeUpload('evidence/never-uploaded')).toBeUndefined();
    const upload = await store.presignUpload('evidence/item-6/a', 'image/png', 3);
    expect((await put(upload.url, upload.headers, png(3))).status).toBe(200);
    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'evidence/item-6/a' }));
    expect(await store.describeUpload('evidence/item-6/a')).toBeUndefined();
    expect(filesUnder(dataDir).filter((f) => f.includes('item-6/a'))).toEqual([]);
  });

  test('objects survive a restart of the endpoint on the same data dir', async () => {
    const upload = await store.presignUpload('evidence/item-7/a', 'image/png', 9);
    expect((await put(upload.url, upload.headers, png(9))).status).toBe(200);
    const { endpoint } = s3Local;
    await s3Local.stop();
    s3Local = await startLocalS3({ dataDir, port: Number(new URL(endpoint).port), now: () => Date.now() + clockOffsetMs });
    expect(await store.describeUpload('evidence/item-7/a')).toEqual({ size: 9, contentType: 'image/png' });
  });
});

describe('keys cannot escape the data dir', () => {
  test.each([
    ['../escape-1.png'],
    ['evidence/../../escape-2.png'],
    ['evidence/../../../escape-3.png'],
    ['/etc/escape-4.png'],
    ['evidence/./escape-5.png'],
    ['evidence\\..\\..\\escape-6.png'],
  ])('the key %s is refused with 400 and writes nothing outside (or inside) the bucket', async (key) => {
    const before = filesUnder(root);
    const upload = await store.presignUpload(key, 'image/png', 4);
    // Split by hand: new URL() would already resolve the dots.
    const [pathname, search] = upload.url.slice(s3Local.endpoint.length).split('?');
    const rest = pathname.slice(`/${BUCKET}/`.length);
    // As written; with the dots percent-encoded (the signature still verifies, so the key check itself
    // must refuse it); and with the slashes encoded too.
    const paths = [rest, rest.replace(/\./g, '%2E'), rest.replace(/\./g, '%2E').replace(/\//g, '%2F')].map((p) => `/${BUCKET}/${p}?${search}`);
    for (const [i, path] of paths.entries()) {
      const res = await rawRequest('PUT', path, { 'Content-Type': 'image/png', 'Content-Length': '4' }, png(4));
      if (i < 2) expect([path, res.status, errorCode(res.text)]).toEqual([path, 400, 'InvalidArgument']);
      else expect([path, [400, 403].includes(res.status)]).toEqual([path, true]);
    }
    expect(filesUnder(root)).toEqual(before);
    expect(existsSync(join(dirname(dataDir), 'escape-1.png'))).toBe(false);
  });

  test('fetch resolves ".." before sending, so its request no longer matches the signature (403) and writes nothing', async () => {
    const before = filesUnder(root);
    const upload = await store.presignUpload('evidence/../../escape-7.png', 'image/png', 4);
    const res = await put(upload.url, upload.headers, png(4));
    expect([res.status, errorCode(res.text)]).toEqual([403, 'SignatureDoesNotMatch']);
    expect(filesUnder(root)).toEqual(before);
  });
});

describe('EvidenceUploadRequest', () => {
  test('accepts images and PDF up to 10 MB', () => {
    for (const contentType of store.EVIDENCE_TYPES) {
      expect(store.EvidenceUploadRequest.safeParse({ fileName: '照片.jpg', contentType, size: store.EVIDENCE_MAX_BYTES }).success).toBe(true);
    }
  });

  test.each([
    ['a type that is not an image or PDF', { fileName: 'a.html', contentType: 'text/html', size: 10 }, /image\/jpeg, image\/png, image\/webp, application\/pdf/],
    ['more than 10 MB', { fileName: 'a.png', contentType: 'image/png', size: 10 * 1024 * 1024 + 1 }, /at most 10485760 bytes \(10 MB\)/],
    ['an empty file', { fileName: 'a.png', contentType: 'image/png', size: 0 }, /at least 1 byte/],
    ['a path', { fileName: '../a.png', contentType: 'image/png', size: 10 }, /without path separators/],
    ['a Windows path', { fileName: 'C:\\a.png', contentType: 'image/png', size: 10 }, /without path separators/],
    ['a long name', { fileName: `${'a'.repeat(201)}.png`, contentType: 'image/png', size: 10 }, /at most 200 characters/],
    ['an unknown field', { fileName: 'a.png', contentType: 'image/png', size: 10, key: 'x' }, /key/],
  ])('refuses %s with a message naming the limit', (_what, input, message) => {
    const result = store.EvidenceUploadRequest.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')).toMatch(message);
  });

  test('presignUpload itself refuses what the schema refuses (a caller that forgot to validate)', async () => {
    await expect(store.presignUpload('evidence/x', 'text/html', 10)).rejects.toThrow(/not allowed/);
    await expect(store.presignUpload('evidence/x', 'image/png', store.EVIDENCE_MAX_BYTES + 1)).rejects.toThrow(/out of range/);
  });
});

describe('multipart upload (SDK, Authorization header)', () => {
  const MiB = 1024 * 1024;
  const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
  /** S3's multipart ETag: the MD5 of the parts' binary MD5s, then "-<number of parts>". */
  const multipartEtag = (parts: Buffer[]): string =>
    `"${createHash('md5')
      .update(Buffer.concat(parts.map((p) => createHash('md5').update(p).digest())))
      .digest('hex')}-${parts.length}"`;
  /** A stream of `data` in 64 KiB chunks, as a file or network stream would deliver it. */
  const streamOf = (data: Buffer): Readable =>
    Readable.from(
      (function* () {
        for (let i = 0; i < data.length; i += 64 * 1024) yield data.subarray(i, i + 64 * 1024);
      })(),
    );
  const staged = (): string[] => (existsSync(join(dataDir, '.uploads')) ? filesUnder(join(dataDir, '.uploads')) : []);
  /** The SDK's defaults (requestChecksumCalculation WHEN_SUPPORTED: CRC32 on every part), recording each request's headers. */
  const defaultClient = (seen: { query: Record<string, unknown>; headers: Record<string, string> }[] = []): S3Client => {
    const c = new S3Client({ endpoint: s3Local.endpoint, region: 'local', forcePathStyle: true, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    c.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { query: Record<string, unknown>; headers: Record<string, string> };
        seen.push({ query: { ...request.query }, headers: { ...request.headers } });
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low' },
    );
    return c;
  };
  const readBack = async (key: string): Promise<Buffer> => {
    const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return Buffer.from(await got.Body!.transformToByteArray());
  };

  test.each([
    ['the default checksums (CRC32 per part)', 'WHEN_SUPPORTED'],
    ['requestChecksumCalculation WHEN_REQUIRED (no checksums)', 'WHEN_REQUIRED'],
  ])('Upload of 12 MiB from a stream, with %s, stores the bytes identically with a multipart ETag', async (_what, mode) => {
    const seen: { query: Record<string, unknown>; headers: Record<string, string> }[] = [];
    const uploader = mode === 'WHEN_SUPPORTED' ? defaultClient(seen) : client;
    const data = randomBytes(12 * MiB);
    const key = `exports/${mode}/report.bin`;
    const upload = new Upload({ client: uploader, params: { Bucket: BUCKET, Key: key, Body: streamOf(data), ContentType: 'application/zip' } });
    const result = await upload.done();
    const parts = [data.subarray(0, 5 * MiB), data.subarray(5 * MiB, 10 * MiB), data.subarray(10 * MiB)];
    expect(result).toMatchObject({ Bucket: BUCKET, Key: key, ETag: multipartEtag(parts) });
    if (mode === 'WHEN_SUPPORTED') {
      // Each part carried its CRC32 (checked by the server) and Complete listed them: the composite comes back.
      const partRequests = seen.filter((r) => r.query.partNumber !== undefined);
      expect(partRequests).toHaveLength(3);
      expect(partRequests.every((r) => r.headers['x-amz-checksum-crc32'] !== undefined)).toBe(true);
      expect((result as { ChecksumCRC32?: string }).ChecksumCRC32).toMatch(/^[A-Za-z0-9+/]+=*-3$/);
      uploader.destroy();
    }
    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(head).toMatchObject({ ContentLength: data.length, ContentType: 'application/zip', ETag: multipartEtag(parts) });
    expect(sha256(await readBack(key))).toBe(sha256(data));
    expect(staged()).toEqual([]);
  });

  test('a part sent as a stream by the default client is aws-chunked with a CRC32 trailer, and is decoded', async () => {
    const seen: { query: Record<string, unknown>; headers: Record<string, string> }[] = [];
    const chunkedClient = defaultClient(seen);
    const key = 'exports/chunked.bin';
    const [first, last] = [randomBytes(5 * MiB), randomBytes(3 * MiB + 17)];
    const { UploadId } = await chunkedClient.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }));
    const etags: string[] = [];
    for (const [i, part] of [first, last].entries()) {
      const res = await chunkedClient.send(
        new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: i + 1, Body: streamOf(part), ContentLength: part.length }),
      );
      etags.push(res.ETag!);
    }
    const partRequests = seen.filter((r) => r.query.partNumber !== undefined);
    expect(partRequests.map((r) => [r.headers['content-encoding'], r.headers['x-amz-content-sha256'], r.headers['x-amz-trailer']])).toEqual([
      ['aws-chunked', 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'x-amz-checksum-crc32'],
      ['aws-chunked', 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'x-amz-checksum-crc32'],
    ]);
    expect(etags).toEqual([md5(first), md5(last)]);
    const listed = await chunkedClient.send(new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId }));
    expect(listed.Parts?.map((p) => [p.PartNumber, p.Size, p.ETag])).toEqual([
      [1, first.length, md5(first)],
      [2, last.length, md5(last)],
    ]);
    await chunkedClient.send(
      new CompleteMultipartUploadCommand({
        Bucket: BUCKET,
        Key: key,
        UploadId,
        MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
      }),
    );
    chunkedClient.destroy();
    expect(sha256(await readBack(key))).toBe(sha256(Buffer.concat([first, last])));
    expect(staged()).toEqual([]);
  });

  test('a PutObject of a stream by the default client (aws-chunked) is decoded too', async () => {
    const c = defaultClient();
    const data = randomBytes(300 * 1024 + 5);
    await c.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'exports/put-stream.bin', Body: streamOf(data), ContentLength: data.length }));
    c.destroy();
    expect(sha256(await readBack('exports/put-stream.bin'))).toBe(sha256(data));
  });

  test('an aws-chunked part whose CRC32 trailer does not match is refused with 400 BadDigest and not stored', async () => {
    const c = defaultClient();
    // Rewrites the trailer the SDK computed: same length, another value.
    c.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { body: unknown; headers: Record<string, string> };
        if (request.headers['x-amz-trailer'] === 'x-amz-checksum-crc32' && request.body instanceof Readable) {
          const encoded = Buffer.concat(await (request.body as Readable).toArray());
          const text = encoded.toString('latin1').replace(/x-amz-checksum-crc32:([A-Za-z0-9+/]{6})==/, (_m, v: string) => `x-amz-checksum-crc32:${v === 'AAAAAA' ? 'AAAAAB' : 'AAAAAA'}==`);
          request.body = Buffer.from(text, 'latin1');
        }
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low' },
    );
    const key = 'exports/bad-trailer.bin';
    const { UploadId } = await c.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }));
    const part = randomBytes(1000);
    // The SDK warns about any failed streaming request; the failure is what this test wants.
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    await expect(
      c.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: 1, Body: streamOf(part), ContentLength: part.length })),
    ).rejects.toMatchObject({ name: 'BadDigest', $metadata: { httpStatusCode: 400 } });
    warn.mockRestore();
    expect((await c.send(new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId }))).Parts ?? []).toEqual([]);
    await c.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId }));
    c.destroy();
  });

  test('AbortMultipartUpload removes the staged parts, and leaves no object and no upload', async () => {
    const key = 'exports/aborted.bin';
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }));
    await client.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: 1, Body: randomBytes(5 * MiB) }));
    expect(staged().length).toBeGreaterThan(0);
    // Staged parts are not objects.
    expect(filesUnder(join(dataDir, BUCKET)).filter((f) => f.includes('aborted'))).toEqual([]);
    await client.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId }));
    expect(staged()).toEqual([]);
    await expect(client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    await expect(client.send(new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId }))).rejects.toMatchObject({ name: 'NoSuchUpload' });
    expect(filesUnder(dataDir).filter((f) => f.includes('aborted'))).toEqual([]);
  });

  test('a wrong uploadId (unknown, malformed, or of another key) is a 404 NoSuchUpload for every operation', async () => {
    const key = 'exports/wrong-id.bin';
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'exports/other.bin' }));
    for (const wrong of ['0123456789abcdef0123456789abcdef', '../../evidence-test/x', UploadId!]) {
      const noSuchUpload = { name: 'NoSuchUpload', $metadata: { httpStatusCode: 404 } };
      await expect(client.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId: wrong, PartNumber: 1, Body: Buffer.alloc(10) }))).rejects.toMatchObject(
        noSuchUpload,
      );
      await expect(
        client.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId: wrong, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"x"' }] } })),
      ).rejects.toMatchObject(noSuchUpload);
      await expect(client.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId: wrong }))).rejects.toMatchObject(noSuchUpload);
    }
    await client.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'exports/other.bin', UploadId }));
  });

  test('Complete refuses parts out of order, an unknown part or ETag, and a non-last part under 5 MiB, and keeps the upload', async () => {
    const key = 'exports/invalid.bin';
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }));
    const small = randomBytes(1000);
    const big = randomBytes(5 * MiB);
    const e1 = (await client.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: 1, Body: small }))).ETag!;
    const e2 = (await client.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: 2, Body: big }))).ETag!;
    const complete = (Parts: { PartNumber: number; ETag: string }[]) =>
      client.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId, MultipartUpload: { Parts } }));
    await expect(complete([{ PartNumber: 2, ETag: e2 }, { PartNumber: 1, ETag: e1 }])).rejects.toMatchObject({ name: 'InvalidPartOrder', $metadata: { httpStatusCode: 400 } });
    await expect(complete([{ PartNumber: 1, ETag: e2 }])).rejects.toMatchObject({ name: 'InvalidPart', $metadata: { httpStatusCode: 400 } });
    await expect(complete([{ PartNumber: 1, ETag: e1 }, { PartNumber: 3, ETag: e2 }])).rejects.toMatchObject({ name: 'InvalidPart' });
    await expect(complete([{ PartNumber: 1, ETag: e1 }, { PartNumber: 2, ETag: e2 }])).rejects.toMatchObject({ name: 'EntityTooSmall', $metadata: { httpStatusCode: 400 } });
    await expect(client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    // A small last part is fine; the part re-uploaded under number 1 replaces the small one.
    const e1big = (await client.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: 1, Body: big }))).ETag!;
    await expect(complete([{ PartNumber: 1, ETag: e1 }, { PartNumber: 2, ETag: e2 }])).rejects.toMatchObject({ name: 'InvalidPart' });
    await complete([{ PartNumber: 1, ETag: e1big }, { PartNumber: 2, ETag: e2 }]);
    expect(sha256(await readBack(key))).toBe(sha256(Buffer.concat([big, big])));
    // Completed: the upload is gone.
    await expect(complete([{ PartNumber: 1, ETag: e1big }])).rejects.toMatchObject({ name: 'NoSuchUpload' });
    expect(staged()).toEqual([]);
  });
});
