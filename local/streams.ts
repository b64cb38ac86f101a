/**
 * DynamoDB Streams to their consumers on one machine, as Lambda's event source mapping does in AWS: the
 * table's real stream in DynamoDB Local, polled; records of the consumer's entity only (the mapping's
 * filter); batches of up to 10 to the same handler; a failed record (batchItemFailures) and those after it
 * are delivered again on the next poll. Where each shard was read to is kept in DATA_DIR/streams/<fn>.json
 * (written whole, then renamed), so a restart goes on from there; a consumer's first start begins at the
 * stream's end (LATEST, as in AWS: a new consumer does not replay old notifications).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, ExpiredIteratorException, TrimmedDataAccessException, type _Record } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse } from 'aws-lambda';
import { functionSpecs, type FunctionName } from '../lib/spec/functions';
import { invokeFunction } from './functions';

const POLL_MS = 500;
const BATCH = 10;

interface Position {
  /** The last sequence number handed to the consumer and acknowledged, per shard. */
  after: Record<string, string>;
  /** Shards read to their end (closed), so they are not read again. */
  done: string[];
  streamArn?: string;
}

export interface StreamRelay {
  stop(): Promise<void>;
}

export function startStreamRelays(opts: { dynamodbEndpoint: string; dataDir: string; log: (m: string) => void; consumers?: FunctionName[] }): StreamRelay {
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const db = new DynamoDBClient({ endpoint: opts.dynamodbEndpoint, region: 'local', credentials });
  const streams = new DynamoDBStreamsClient({ endpoint: opts.dynamodbEndpoint, region: 'local', credentials });
  const consumers = (opts.consumers ?? (Object.keys(functionSpecs) as FunctionName[])).filter((n) => functionSpecs[n].consumesStreamOf);
  let stopped = false;
  const loops = consumers.map(async (name) => {
    const { table, entity } = functionSpecs[name].consumesStreamOf!;
    const file = join(opts.dataDir, 'streams', `${name}.json`);
    const fresh = !existsSync(file);
    const pos: Position = fresh ? { after: {}, done: [] } : (JSON.parse(readFileSync(file, 'utf8')) as Position);
    const save = () => {
      mkdirSync(join(opts.dataDir, 'streams'), { recursive: true });
      writeFileSync(`${file}.tmp`, JSON.stringify(pos));
      renameSync(`${file}.tmp`, file);
    };
    let startAtLatest = fresh;
    while (!stopped) {
      try {
        const arn = (await db.send(new DescribeTableCommand({ TableName: table }))).Table?.LatestStreamArn;
        if (!arn) throw new Error(`the table ${table} has no stream`);
        if (pos.streamArn !== arn) Object.assign(pos, { streamArn: arn, after: {}, done: [] });
        const shards = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription?.Shards ?? [];
        for (const shard of shards) {
          const id = shard.ShardId!;
          if (pos.done.includes(id)) continue;
          // A child shard waits until its parent is read to the end: records stay in order.
          if (shard.ParentShardId && shards.some((s) => s.ShardId === shard.ParentShardId) && !pos.done.includes(shard.ParentShardId)) continue;
          const after = pos.after[id];
          const iterator = (
            await streams.send(
              new GetShardIteratorCommand(
                after
                  ? { StreamArn: arn, ShardId: id, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
                  : { StreamArn: arn, ShardId: id, ShardIteratorType: startAtLatest && !shard.SequenceNumberRange?.EndingSequenceNumber ? 'LATEST' : 'TRIM_HORIZON' },
              ),
            )
          ).ShardIterator;
          const page = iterator ? await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 })) : undefined;
          const records = page?.Records ?? [];
          const delivered = await deliver(name, entity, records);
          if (delivered) pos.after[id] = delivered;
          const allDelivered = records.length === 0 || delivered === records[records.length - 1].dynamodb?.SequenceNumber;
          if (allDelivered && !page?.NextShardIterator && shard.SequenceNumberRange?.EndingSequenceNumber) pos.done.push(id);
          save();
        }
        startAtLatest = false;
      } catch (err) {
        if (err instanceof ExpiredIteratorException || err instanceof TrimmedDataAccessException) continue;
        if (!stopped) opts.log(`stream relay ${name}: ${(err as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  });
  if (consumers.length) opts.log(`stream relay: ${consumers.join(', ')} read their tables' streams`);

  /** Hands the records on in batches; answers the sequence number up to which all were accepted. */
  async function deliver(name: FunctionName, entity: string, records: _Record[]): Promise<string | undefined> {
    let upTo: string | undefined;
    for (let i = 0; i < records.length; i += BATCH) {
      const batch = records.slice(i, i + BATCH);
      // The event source mapping's filter: only the consumer's entity reaches it.
      const wanted = batch.filter((r) => r.eventName === 'INSERT' && r.dynamodb?.NewImage?.entity?.S === entity);
      if (wanted.length) {
        const out = (await invokeFunction(name, { Records: wanted.map((r) => ({ ...r, eventSource: 'aws:dynamodb', awsRegion: 'local' })) })) as DynamoDBBatchResponse | undefined;
        const failed = out?.batchItemFailures?.[0]?.itemIdentifier;
        if (failed) {
          // Everything before the first failure is done; it and the rest come again.
          const at = batch.findIndex((r) => r.dynamodb?.SequenceNumber === failed);
          return at > 0 ? batch[at - 1].dynamodb?.SequenceNumber : upTo;
        }
      }
      upTo = batch[batch.length - 1].dynamodb?.SequenceNumber;
    }
    return upTo;
  }

  return {
    async stop() {
      stopped = true;
      await Promise.all(loops);
      db.destroy();
      streams.destroy();
    },
  };
}
