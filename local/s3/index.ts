// A local S3 endpoint for one-machine mode: the handlers' unchanged @aws-sdk/client-s3 and presigned URLs
// talk to it through AWS_ENDPOINT_URL_S3 (path-style). Signatures are verified as S3 verifies them
// (sigv4.ts); objects are plain files under dataDir (store.ts); the protocol is in server.ts.
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { LocalObjectStore } from './store';
import { createS3Server } from './server';
import { listenOnLoopback } from '../net';

/** The credentials and region the local runtime gives the SDK (AWS_ACCESS_KEY_ID=local, AWS_REGION=local). */
export const LOCAL_S3_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
export const LOCAL_S3_REGION = 'local';

export interface LocalS3Options {
  /** Objects live under <dataDir>/<bucket>/<key>; give it a directory of its own (e.g. DATA_DIR/s3). */
  dataDir: string;
  /** Default: a free port on 127.0.0.1. */
  port?: number;
  /**
   * The clock presigned URLs expire against (default Date.now). Not the platform clock that demos move:
   * the SDK signs with real time, so a moved clock would expire every fresh URL.
   */
  now?: () => number;
  /** Largest accepted PUT (default 100 MiB): S3 allows 5 GB, but this is a disk on a small machine. */
  maxObjectBytes?: number;
  log?: (msg: string) => void;
}

export interface LocalS3 {
  endpoint: string; // http://127.0.0.1:<port>
  stop(): Promise<void>;
}

export async function startLocalS3(opts: LocalS3Options): Promise<LocalS3> {
  const dataDir = resolve(opts.dataDir);
  await mkdir(dataDir, { recursive: true });
  const log = opts.log ?? (() => undefined);
  const server = createS3Server({
    store: new LocalObjectStore(dataDir),
    credentials: LOCAL_S3_CREDENTIALS,
    region: LOCAL_S3_REGION,
    now: opts.now ?? Date.now,
    maxObjectBytes: opts.maxObjectBytes ?? 100 * 1024 * 1024,
    log,
  });
  const { endpoint, stop } = await listenOnLoopback(server, opts.port);
  log(`local S3 on ${endpoint} (files under ${dataDir})`);
  return {
    endpoint,
    stop,
  };
}
