/**
 * Objects as plain files, so DATA_DIR can be browsed and backed up with ordinary tools:
 *
 *   <dataDir>/<bucket>/<key>          the bytes
 *   <dataDir>/.meta/<bucket>/<key>    JSON sidecar: content type, size, ETag, and the inode of the bytes
 *   <dataDir>/.tmp/                   uploads in progress (same file system, so rename is atomic)
 *
 * Sidecars live in a tree of their own (no bucket name can start with a dot) instead of next to the
 * bytes, so no object key is reserved for them. A PUT writes both files to .tmp, renames the bytes, then
 * the sidecar, and answers only after both: a sidecar naming another inode than the bytes' (a crash
 * between the two renames) marks an unacknowledged write, and the object reads as absent.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
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
    opts: { contentLength: number; contentType: string; accept(d: Digests): void },
  ): Promise<ObjectMeta> {
    const { file, metaFile } = this.paths(bucket, key);
    const tmpDir = join(this.root, '.tmp');
    await mkdir(tmpDir, { recursive: true });
    const tmp = join(tmpDir, randomUUID());
    try {
      const measure = new Measure(opts.contentLength);
      await pipeline(body, measure, createWriteStream(tmp, { flags: 'wx', mode: 0o600 }));
      const digests = measure.digests();
      if (digests.size !== opts.contentLength) {
        throw badRequest('IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header');
      }
      opts.accept(digests);
      // Acknowledged means on disk, not just in the page cache.
      const handle = await open(tmp, 'r');
      const { ino } = await handle.stat();
      await handle.sync();
      await handle.close();
      const meta: ObjectMeta = {
        contentType: opts.contentType,
        size: digests.size,
        etag: `"${digests.md5.toString('hex')}"`,
        lastModified: new Date().toISOString(),
        ino,
      };
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
