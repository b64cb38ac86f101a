/**
 * Objects as plain files, so DATA_DIR can be browsed and backed up with ordinary tools:
 *
 *   <dataDir>/<bucket>/<key>          the bytes
 *   <dataDir>/.meta/<bucket>/<key>    JSON sidecar: content type, size, ETag, and the inode of the bytes
 *   <dataDir>/.tmp/                   uploads in progress (same file system, so rename is atomic)
 *   <dataDir>/.uploads/<uploadId>/    multipart uploads' parts until Complete or Abort (see below)
 *
 * Sidecars live in a tree of their own (no bucket name can start with a dot) instead of next to the
 * bytes, so no object key is reserved for them. A PUT writes both files to .tmp, renames the bytes, then
 * the sidecar, and answers only after both: a sidecar naming another inode than the bytes' (a crash
 * between the two renames) marks an unacknowledged write, and the object reads as absent.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32 } from 'node:zlib';
import { badRequest, S3Error } from './errors';

export interface ObjectMeta {
  contentType: string;
  size: number;
  /** Quoted hex MD5, as S3 answers it for a single-part upload. */
  etag: string;
  lastModified: string;
  /** The inode of the bytes this sidecar describes. */
  ino: number;
}

export interface StoredObject {
  meta: ObjectMeta;
  file: string;
}

export interface Digests {
  md5: Buffer;
  /** Big-endian, as x-amz-checksum-crc32 carries it (base64). */
  crc32: Buffer;
  sha256: Buffer;
  sha1: Buffer;
  size: number;
}

/** The checksums a part can carry and be assembled with (those Measure computes). */
export type ChecksumAlgorithm = 'CRC32' | 'SHA1' | 'SHA256';
export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = ['CRC32', 'SHA1', 'SHA256'];

export interface UploadInfo {
  bucket: string;
  key: string;
  contentType: string;
  initiated: string;
  /** x-amz-checksum-algorithm of CreateMultipartUpload: parts answer with it, Complete with the composite. */
  checksumAlgorithm?: ChecksumAlgorithm;
}

export interface PartMeta {
  partNumber: number;
  size: number;
  /** Quoted hex MD5 of the part. */
  etag: string;
  /** Base64 digests, as x-amz-checksum-* carries them. */
  checksums: Record<ChecksumAlgorithm, string>;
  lastModified: string;
  ino: number;
}

const noSuchUpload = (): S3Error =>
  new S3Error(404, 'NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.');

/** S3's composite checksum of a multipart object: the checksum of the parts' binary checksums, then "-<n>". */
function compositeChecksum(algorithm: ChecksumAlgorithm, parts: PartMeta[]): string {
  const joined = Buffer.concat(parts.map((p) => Buffer.from(p.checksums[algorithm], 'base64')));
  let digest: Buffer;
  if (algorithm === 'CRC32') {
    digest = Buffer.alloc(4);
    digest.writeUInt32BE(crc32(joined) >>> 0);
  } else {
    digest = createHash(algorithm === 'SHA1' ? 'sha1' : 'sha256').update(joined).digest();
  }
  return `${digest.toString('base64')}-${parts.length}`;
}

/** fsync (acknowledged means on disk, not just in the page cache), and the inode the sidecar records. */
async function syncedIno(file: string): Promise<number> {
  const handle = await open(file, 'r');
  try {
    const { ino } = await handle.stat();
    await handle.sync();
    return ino;
  } finally {
    await handle.close();
  }
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function checkBucketName(bucket: string): void {
  if (!BUCKET_NAME.test(bucket) || bucket.includes('..')) {
    throw badRequest('InvalidBucketName', `The specified bucket is not valid: ${bucket}`);
  }
}

/**
 * Keys become paths, so everything a path could misread is refused: `.`/`..` and empty segments (no
 * leading, trailing or double slash), backslashes, NUL, and segments longer than a file name may be.
 * All of these are valid S3 keys; the platform's keys (`evidence/<id>/<uuid>`) need none of them.
 */
export function checkKey(key: string): void {
  const refuse = (why: string): never => {
    throw badRequest('InvalidArgument', `The key ${JSON.stringify(key)} cannot be stored by the local S3: ${why}`);
  };
  if (key.length === 0) refuse('it is empty');
  if (Buffer.byteLength(key) > 1024) throw badRequest('KeyTooLongError', 'Your key is too long');
  if (key.includes('\\') || key.includes('\0')) refuse('it contains a backslash or NUL');
  for (const segment of key.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') refuse('it has an empty, "." or ".." segment');
    if (Buffer.byteLength(segment) > 255) refuse('a segment is longer than 255 bytes');
  }
}

/** join() then a containment check: the key rules above already exclude escapes; this makes sure of it. */
function inside(root: string, ...parts: string[]): string {
  const path = resolve(root, ...parts);
  if (!path.startsWith(root + sep)) throw badRequest('InvalidArgument', 'The key resolves outside its bucket');
  return path;
}

/** Hashes and counts the bytes as they stream past, and stops at `limit` (more than Content-Length). */
class Measure extends Transform {
  private readonly md5 = createHash('md5');
  private readonly sha256 = createHash('sha256');
  private readonly sha1 = createHash('sha1');
  private crc = 0;
  size = 0;

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null, data?: Buffer) => void): void {
    this.size += chunk.length;
    if (this.size > this.limit) {
      done(badRequest('IncompleteBody', 'The request body is longer than its Content-Length'));
      return;
    }
    this.md5.update(chunk);
    this.sha256.update(chunk);
    this.sha1.update(chunk);
    this.crc = crc32(chunk, this.crc);
    done(null, chunk);
  }

  digests(): Digests {
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(this.crc >>> 0);
    return { md5: this.md5.digest(), crc32: crc, sha256: this.sha256.digest(), sha1: this.sha1.digest(), size: this.size };
  }
}

export class LocalObjectStore {
  private readonly root: string;
  /** One write or delete at a time per key: two interleaved PUTs would pair one's bytes with the other's sidecar. */
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(dataDir: string) {
    this.root = resolve(dataDir);
  }

  private bucketDir(bucket: string): string {
    checkBucketName(bucket);
    return join(this.root, bucket);
  }

  private paths(bucket: string, key: string): { file: string; metaFile: string } {
    checkKey(key);
    return {
      file: inside(this.bucketDir(bucket), key),
      metaFile: inside(join(this.root, '.meta', bucket), key),
    };
  }

  private async withLock<T>(id: string, work: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(id) ?? Promise.resolve();
    const run = previous.then(work, work);
    const settled = run.catch(() => undefined);
    this.locks.set(id, settled);
    try {
      return await run;
    } finally {
      if (this.locks.get(id) === settled) this.locks.delete(id);
    }
  }

  async bucketExists(bucket: string): Promise<boolean> {
    const info = await stat(this.bucketDir(bucket)).catch(() => undefined);
    return info?.isDirectory() ?? false;
  }

  async requireBucket(bucket: string): Promise<void> {
    if (!(await this.bucketExists(bucket))) throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist');
  }

  /** Idempotent, as CreateBucket on a bucket one already owns is in us-east-1: the runtime calls it at every start. */
  async createBucket(bucket: string): Promise<void> {
    await mkdir(this.bucketDir(bucket), { recursive: true });
    await mkdir(join(this.root, '.meta', bucket), { recursive: true });
  }

  async head(bucket: string, key: string): Promise<StoredObject | undefined> {
    const { file, metaFile } = this.paths(bucket, key);
    const [info, text] = await Promise.all([stat(file).catch(() => undefined), readFile(metaFile, 'utf8').catch(() => undefined)]);
    if (!info?.isFile() || text === undefined) return undefined;
    const meta = JSON.parse(text) as ObjectMeta;
    if (meta.ino !== info.ino || meta.size !== info.size) return undefined;
    return { meta, file };
  }

  /**
   * Streams the body to a temporary file while hashing it, lets `accept` check the digests (Content-MD5,
   * checksums, signed payload hash) and the size, and only then puts the object in place.
   */
  async put(
    bucket: string,
    key: string,
    body: Readable,
    opts: { contentLength: number; contentType: string; decode?: Transform; accept(d: Digests): void },
  ): Promise<ObjectMeta> {
    const { file, metaFile } = this.paths(bucket, key);
    const received = await this.receive(body, opts);
    const meta: ObjectMeta = {
      contentType: opts.contentType,
      size: received.digests.size,
      etag: `"${received.digests.md5.toString('hex')}"`,
      lastModified: new Date().toISOString(),
      ino: received.ino,
    };
    return this.install(bucket, key, file, metaFile, received.tmp, meta);
  }

  private async tmpFile(): Promise<string> {
    const tmpDir = join(this.root, '.tmp');
    await mkdir(tmpDir, { recursive: true });
    return join(tmpDir, randomUUID());
  }

  /** The body, checked by `accept`, in a synced temporary file (removed again on any failure). */
  private async receive(
    body: Readable,
    opts: { contentLength: number; decode?: Transform; accept(d: Digests): void },
  ): Promise<{ tmp: string; digests: Digests; ino: number }> {
    const tmp = await this.tmpFile();
    try {
      const measure = new Measure(opts.contentLength);
      const out = createWriteStream(tmp, { flags: 'wx', mode: 0o600 });
      await (opts.decode ? pipeline(body, opts.decode, measure, out) : pipeline(body, measure, out));
      const digests = measure.digests();
      if (digests.size !== opts.contentLength) {
        throw badRequest('IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header');
      }
      opts.accept(digests);
      return { tmp, digests, ino: await syncedIno(tmp) };
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  /** Renames the synced `tmp` into place as the object, then its sidecar (see the comment at the top). */
  private async install(bucket: string, key: string, file: string, metaFile: string, tmp: string, meta: ObjectMeta): Promise<ObjectMeta> {
    try {
      return await this.withLock(`${bucket}/${key}`, async () => {
        await Promise.all([mkdir(dirname(file), { recursive: true }), mkdir(dirname(metaFile), { recursive: true })]);
        const tmpMeta = `${tmp}.json`;
        await writeFile(tmpMeta, JSON.stringify(meta), { mode: 0o600 });
        try {
          await rename(tmp, file);
          await rename(tmpMeta, metaFile);
        } catch (err) {
          await rm(tmpMeta, { force: true });
          throw conflict(err, key);
        }
        return meta;
      });
    } catch (err) {
      await rm(tmp, { force: true });
      throw conflict(err, key);
    }
  }

  // ---- multipart uploads -------------------------------------------------------------------------
  // <dataDir>/.uploads/<uploadId>/upload.json    the upload: bucket, key, content type, checksum algorithm
  // <dataDir>/.uploads/<uploadId>/<n>            part n's bytes
  // <dataDir>/.uploads/<uploadId>/<n>.json       part n's sidecar (size, ETag, checksums, inode of the bytes)
  // Nothing here is an object (no bucket name starts with a dot); Complete and Abort remove the folder.

  private uploadDir(uploadId: string): string {
    // Ids are ours (hex); anything else cannot name an upload, and must not name a path.
    if (!/^[0-9a-f]{32}$/.test(uploadId)) throw noSuchUpload();
    return join(this.root, '.uploads', uploadId);
  }

  async createMultipartUpload(bucket: string, key: string, info: { contentType: string; checksumAlgorithm?: ChecksumAlgorithm }): Promise<string> {
    this.paths(bucket, key); // the key must be storable before parts are accepted for it
    const uploadId = randomBytes(16).toString('hex');
    const dir = this.uploadDir(uploadId);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const upload: UploadInfo = { bucket, key, initiated: new Date().toISOString(), ...info };
    const tmp = join(dir, 'upload.json.tmp');
    await writeFile(tmp, JSON.stringify(upload), { mode: 0o600 });
    await rename(tmp, join(dir, 'upload.json'));
    return uploadId;
  }

  /** The upload, if it exists and is one for this bucket and key (S3 answers NoSuchUpload otherwise). */
  async getUpload(bucket: string, key: string, uploadId: string): Promise<UploadInfo> {
    const text = await readFile(join(this.uploadDir(uploadId), 'upload.json'), 'utf8').catch(() => undefined);
    const upload = text === undefined ? undefined : (JSON.parse(text) as UploadInfo);
    if (!upload || upload.bucket !== bucket || upload.key !== key) throw noSuchUpload();
    return upload;
  }

  /** Streams a part to disk like put(); a part uploaded again under the same number replaces the earlier one. */
  async putPart(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    body: Readable,
    opts: { contentLength: number; decode?: Transform; accept(d: Digests): void },
  ): Promise<{ part: PartMeta; upload: UploadInfo }> {
    const upload = await this.getUpload(bucket, key, uploadId);
    const received = await this.receive(body, opts);
    const { tmp, digests } = received;
    const part: PartMeta = {
      partNumber,
      size: digests.size,
      etag: `"${digests.md5.toString('hex')}"`,
      checksums: { CRC32: digests.crc32.toString('base64'), SHA1: digests.sha1.toString('base64'), SHA256: digests.sha256.toString('base64') },
      lastModified: new Date().toISOString(),
      ino: received.ino,
    };
    try {
      await this.withLock(`upload:${uploadId}`, async () => {
        await this.getUpload(bucket, key, uploadId); // not completed or aborted meanwhile
        const dir = this.uploadDir(uploadId);
        await writeFile(`${tmp}.json`, JSON.stringify(part), { mode: 0o600 });
        await rename(tmp, join(dir, String(partNumber)));
        await rename(`${tmp}.json`, join(dir, `${partNumber}.json`));
      });
    } finally {
      await Promise.all([rm(tmp, { force: true }), rm(`${tmp}.json`, { force: true })]);
    }
    return { part, upload };
  }

  private async readPart(uploadId: string, partNumber: number): Promise<PartMeta | undefined> {
    const file = join(this.uploadDir(uploadId), String(partNumber));
    const [info, text] = await Promise.all([stat(file).catch(() => undefined), readFile(`${file}.json`, 'utf8').catch(() => undefined)]);
    if (!info?.isFile() || text === undefined) return undefined;
    const part = JSON.parse(text) as PartMeta;
    return part.ino === info.ino && part.size === info.size ? part : undefined;
  }

  /** The upload's parts, by number. */
  async listParts(bucket: string, key: string, uploadId: string): Promise<{ upload: UploadInfo; parts: PartMeta[] }> {
    const upload = await this.getUpload(bucket, key, uploadId);
    const numbers = (await readdir(this.uploadDir(uploadId)).catch(() => [] as string[]))
      .filter((name) => /^[1-9]\d*$/.test(name))
      .map(Number)
      .sort((a, b) => a - b);
    const parts = (await Promise.all(numbers.map((n) => this.readPart(uploadId, n)))).filter((p): p is PartMeta => p !== undefined);
    return { upload, parts };
  }

  /**
   * Assembles the listed parts, in order, into a temporary file (streamed, one part at a time), then puts
   * it in place as put() does: readers see the old object or the whole new one, never a partial one.
   */
  async completeMultipartUpload(
    bucket: string,
    key: string,
    uploadId: string,
    requested: { partNumber: number; etag: string; checksums: Partial<Record<ChecksumAlgorithm, string>> }[],
    opts: { maxObjectBytes: number; minPartBytes: number },
  ): Promise<{ meta: ObjectMeta; upload: UploadInfo; checksum?: string }> {
    const { file, metaFile } = this.paths(bucket, key);
    return this.withLock(`upload:${uploadId}`, async () => {
      const upload = await this.getUpload(bucket, key, uploadId);
      if (requested.length === 0) throw badRequest('MalformedXML', 'You must specify at least one part.');
      for (let i = 1; i < requested.length; i++) {
        if (requested[i].partNumber <= requested[i - 1].partNumber) {
          throw badRequest('InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.');
        }
      }
      const parts: PartMeta[] = [];
      for (const want of requested) {
        const part = await this.readPart(uploadId, want.partNumber);
        const unquote = (etag: string): string => etag.replace(/^"|"$/g, '');
        const checksumsMatch = Object.entries(want.checksums).every(([alg, value]) => part?.checksums[alg as ChecksumAlgorithm] === value);
        if (!part || unquote(part.etag) !== unquote(want.etag) || !checksumsMatch) {
          throw badRequest(
            'InvalidPart',
            `One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not have matched the part's entity tag. (part ${want.partNumber})`,
          );
        }
        parts.push(part);
      }
      parts.slice(0, -1).forEach((part) => {
        if (part.size < opts.minPartBytes) {
          throw badRequest('EntityTooSmall', `Your proposed upload is smaller than the minimum allowed size (part ${part.partNumber}: ${part.size} bytes; minimum ${opts.minPartBytes})`);
        }
      });
      const size = parts.reduce((sum, p) => sum + p.size, 0);
      if (size > opts.maxObjectBytes) {
        throw badRequest('EntityTooLarge', `Your proposed upload exceeds the maximum allowed size of the local S3 (${opts.maxObjectBytes} bytes)`);
      }

      const tmp = await this.tmpFile();
      let ino: number;
      try {
        const out = createWriteStream(tmp, { flags: 'wx', mode: 0o600 });
        const dir = this.uploadDir(uploadId);
        await pipeline(async function* () {
          for (const part of parts) yield* createReadStream(join(dir, String(part.partNumber)));
        }, out);
        ino = await syncedIno(tmp);
        const written = (await stat(tmp)).size;
        if (written !== size) throw new Error(`assembled ${written} bytes, expected ${size}`);
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
      const md5s = Buffer.concat(parts.map((p) => Buffer.from(p.etag.replace(/"/g, ''), 'hex')));
      const meta: ObjectMeta = {
        contentType: upload.contentType,
        size,
        etag: `"${createHash('md5').update(md5s).digest('hex')}-${parts.length}"`,
        lastModified: new Date().toISOString(),
        ino,
      };
      await this.install(bucket, key, file, metaFile, tmp, meta);
      await rm(this.uploadDir(uploadId), { recursive: true, force: true });
      return { meta, upload, checksum: upload.checksumAlgorithm && compositeChecksum(upload.checksumAlgorithm, parts) };
    });
  }

  async abortMultipartUpload(bucket: string, key: string, uploadId: string): Promise<void> {
    await this.withLock(`upload:${uploadId}`, async () => {
      await this.getUpload(bucket, key, uploadId);
      await rm(this.uploadDir(uploadId), { recursive: true, force: true });
    });
  }

  async delete(bucket: string, key: string): Promise<void> {
    const { file, metaFile } = this.paths(bucket, key);
    await this.withLock(`${bucket}/${key}`, async () => {
      // Sidecar first: bytes without their sidecar already read as absent.
      await rm(metaFile, { force: true });
      const info = await stat(file).catch(() => undefined);
      if (info?.isFile()) await rm(file, { force: true });
    });
  }
}

/** `a` and `a/b` can both exist in S3 but not as files; say so instead of answering a 500. */
function conflict(err: unknown, key: string): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOTDIR' || code === 'EISDIR' || code === 'EEXIST' || code === 'ENOTEMPTY') {
    return badRequest('InvalidArgument', `The key ${JSON.stringify(key)} collides with another key's path in the local S3 (a key cannot also be a prefix)`);
  }
  return err;
}
