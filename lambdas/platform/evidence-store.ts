/**
 * Evidence files (photos, scanned documents) live in one S3 bucket and never pass through a function:
 * the browser uploads and downloads them with short-lived presigned URLs. On one machine the runtime
 * points this same client at its local S3 endpoint (AWS_ENDPOINT_URL_S3, S3_FORCE_PATH_STYLE=true).
 *
 * Keys are chosen by the caller and should not contain the user's file name (e.g.
 * `evidence/<itemId>/<uuid>`): the name is stored with the item and given back through Content-Disposition,
 * so a long or non-Latin name never becomes a path, locally or in S3.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { requireEnv } from './config';
import { attachment } from './content-disposition';

// The limits and the request schema live apart, free of configuration, so the route table can import them.
import { EVIDENCE_MAX_BYTES, EVIDENCE_TYPES } from './evidence-schemas';
export { EVIDENCE_MAX_BYTES, EVIDENCE_TYPES, EvidenceUploadRequest, type EvidenceType } from './evidence-schemas';

const UPLOAD_TTL_SECONDS = 15 * 60;
const DOWNLOAD_TTL_SECONDS = 5 * 60;

export interface PresignedUpload {
  url: string;
  method: 'PUT';
  /** Exactly the headers the client must send with the PUT (they are covered by the signature). */
  headers: Record<string, string>;
  expiresAt: string;
}

/**
 * The S3 SDK (client, presigner, multipart upload) is loaded and its client built on first use, not at
 * load: most requests of the functions that may link evidence touch none, and evaluating the S3 client
 * at load cost them about a third of their cold start (bench/cold-start.ts). A plain `require` keeps the
 * functions synchronous and loads the very files an `import` does (these packages' `main`). One loader
 * per package (not one object holding all three): esbuild drops a loader no bundled code calls, so only
 * the export function bundles lib-storage.
 */
const s3Sdk = () => require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');
const presignerSdk = () => require('@aws-sdk/s3-request-presigner') as typeof import('@aws-sdk/s3-request-presigner');
const storageSdk = () => require('@aws-sdk/lib-storage') as typeof import('@aws-sdk/lib-storage');
let s3Client: S3Client | undefined;
const s3 = (): S3Client =>
  (s3Client ??= new (s3Sdk().S3Client)({
    // Path-style only for the local endpoint (an IP address has no bucket subdomains); S3 itself uses
    // virtual-hosted style. Only the local runtime sets this variable.
    forcePathStyle: process.env.S3_FORCE_PATH_STYLE === 'true',
    // Otherwise the SDK adds a CRC32 of the (empty) presign-time body to every presigned PUT, and S3 then
    // refuses the real upload as a checksum mismatch.
    requestChecksumCalculation: 'WHEN_REQUIRED',
  }));
const bucket = requireEnv('EVIDENCE_BUCKET');

/**
 * A presigned PutObject for one file of the given type and exact size, valid 15 minutes. Content-Type and
 * Content-Length are signed, so S3 itself refuses a body of another type or size: the limits checked by
 * the caller cannot be bypassed by the uploader. No SSE header: the bucket's default encryption applies
 * to every object, and a header would only be one more thing the browser must send.
 */
export async function presignUpload(key: string, contentType: string, size: number): Promise<PresignedUpload> {
  // The caller validates with EvidenceUploadRequest (a 400); this guards against a caller that forgot.
  if (!(EVIDENCE_TYPES as readonly string[]).includes(contentType)) throw new Error(`presignUpload: content type ${contentType} is not allowed`);
  if (!Number.isInteger(size) || size < 1 || size > EVIDENCE_MAX_BYTES) throw new Error(`presignUpload: size ${size} is out of range`);
  const signingDate = new Date();
  const url = await presignerSdk().getSignedUrl(s3(), new (s3Sdk().PutObjectCommand)({ Bucket: bucket, Key: key, ContentType: contentType, ContentLength: size }), {
    expiresIn: UPLOAD_TTL_SECONDS,
    signingDate,
    // The presigner leaves Content-Type unsigned by default; signableHeaders forces both into the signature.
    signableHeaders: new Set(['content-type', 'content-length']),
  });
  return {
    url,
    method: 'PUT',
    // Browsers set Content-Length themselves from the body (they ignore it in fetch headers); other
    // clients must send it, so it is listed.
    headers: { 'Content-Type': contentType, 'Content-Length': String(size) },
    expiresAt: new Date(signingDate.getTime() + UPLOAD_TTL_SECONDS * 1000).toISOString(),
  };
}

/** What was actually uploaded under the key, or undefined when nothing was. */
export async function describeUpload(key: string): Promise<{ size: number; contentType: string } | undefined> {
  try {
    const head = await s3().send(new (s3Sdk().HeadObjectCommand)({ Bucket: bucket, Key: key }));
    return { size: head.ContentLength ?? 0, contentType: head.ContentType ?? 'application/octet-stream' };
  } catch (err) {
    // Without s3:ListBucket (deliberately not granted) S3 answers a missing key with 403, not 404; the
    // function holds s3:GetObject on every key, so a 403 here means "not uploaded".
    if (err instanceof s3Sdk().S3ServiceException && (err.name === 'NotFound' || err.$metadata.httpStatusCode === 404 || err.$metadata.httpStatusCode === 403)) {
      return undefined;
    }
    throw err;
  }
}

/** A presigned GetObject, valid 5 minutes, that makes the browser save the file under its original name. */
export function presignDownload(key: string, fileName: string): Promise<string> {
  return presignerSdk().getSignedUrl(s3(), new (s3Sdk().GetObjectCommand)({ Bucket: bucket, Key: key, ResponseContentDisposition: attachment(fileName) }), {
    expiresIn: DOWNLOAD_TTL_SECONDS,
  });
}

export { attachment } from './content-disposition';

/**
 * Exports (survey responses) are written to the same bucket under exports/, which a lifecycle rule
 * empties after a day. The body is streamed: lib-storage sends it in parts of 5 MiB, so the memory an
 * export needs does not grow with the number of rows.
 */
export async function uploadExport(key: string, body: Readable, contentType: string): Promise<void> {
  if (!key.startsWith('exports/')) throw new Error('export keys live under exports/');
  await new (storageSdk().Upload)({ client: s3(), params: { Bucket: bucket, Key: key, Body: body, ContentType: contentType }, queueSize: 2, partSize: 5 * 1024 * 1024 }).done();
}
