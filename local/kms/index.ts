// A local KMS endpoint for one-machine mode: the handlers' unchanged @aws-sdk/client-kms talks to it
// through AWS_ENDPOINT_URL_KMS. Keys are generated once into dataDir (keys.ts); the protocol is in
// server.ts. Requests are not signature-checked: the endpoint listens on 127.0.0.1 only, and the key
// file beside the data is what a local attacker would go for anyway.
import { resolve } from 'node:path';
import { LocalKeyStore } from './keys';
import { createKmsServer } from './server';
import { listenOnLoopback } from '../net';

export interface LocalKmsOptions {
  /** keys.json lives here; give it a directory of its own (e.g. DATA_DIR/kms). */
  dataDir: string;
  /** Aliases to have a key for; a missing one is generated at start-up, an existing one kept. */
  aliases: readonly string[];
  region: string;
  account: string;
  /** Default: a free port on 127.0.0.1. */
  port?: number;
  log?: (msg: string) => void;
}

export interface LocalKms {
  endpoint: string; // http://127.0.0.1:<port>
  /** The ARN of the key behind an alias: what functions get as their key id, as CDK gives them key ARNs. */
  keyArn(alias: string): string;
  stop(): Promise<void>;
}

export async function startLocalKms(opts: LocalKmsOptions): Promise<LocalKms> {
  const dataDir = resolve(opts.dataDir);
  const log = opts.log ?? (() => undefined);
  const keys = LocalKeyStore.open(dataDir, { region: opts.region, account: opts.account, aliases: opts.aliases });
  const server = createKmsServer({ keys, log });
  const { endpoint, stop } = await listenOnLoopback(server, opts.port);
  log(`local KMS on ${endpoint} (keys in ${dataDir})`);
  return {
    endpoint,
    keyArn: (alias) => keys.arnOfAlias(alias),
    stop,
  };
}
