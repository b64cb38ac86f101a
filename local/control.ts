/**
 * Controls of the one-machine runtime itself, outside the API (never in the cloud): move the platform's
 * clock, for demos and tests of SLAs and deadlines, and fire a schedule now.
 *   GET  /_local/clock                 → {now, offsetMs}
 *   POST /_local/clock {advanceMs}     → moves time forward for handlers and the workflow engine alike
 *   POST /_local/schedules/{name}      → runs that schedule's handler now, answers its result
 *   POST /_local/faults {dynamodb: {error, rate, count?, operations?, tables?}}
 *                                      → the handlers' DynamoDB requests fail so (local/dynamodb/fault-proxy.ts);
 *                                        the counts start again from zero
 *   GET  /_local/faults                → the fault in force and the counts: injected, SDK retries, recovered
 *   DELETE /_local/faults              → no more faults (answers the final counts)
 *   POST /_local/meter                 → usage metering on, from zero (local/meter.ts: DynamoDB units, Lambda,
 *                                        API and KMS requests); GET reads it, DELETE turns it off
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { clock } from '../lambdas/platform/clock';
import type { ExtraHandler } from './gateway';
import type { LocalScheduler } from './scheduler';
import { FaultSpecError, parseDynamodbFaultSpec, type FaultProxy } from './dynamodb/fault-proxy';
import { meter } from './meter';

export function controlHandler(deps: { scheduler: () => LocalScheduler | undefined; wakeEngine: () => void; faults?: () => FaultProxy | undefined; clockMoved?: () => void }): ExtraHandler {
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const readJson = (req: IncomingMessage) =>
    new Promise<unknown>((resolve) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        try {
          resolve(text ? (JSON.parse(text) as unknown) : {});
        } catch {
          resolve(undefined);
        }
      });
    });

  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith('/_local/')) return false;
    void (async () => {
      if (url.pathname === '/_local/clock' && req.method === 'GET') return send(res, 200, { now: clock.now().toISOString(), offsetMs: clock.offsetMs() });
      if (url.pathname === '/_local/clock' && req.method === 'POST') {
        const body = (await readJson(req)) as { advanceMs?: unknown } | undefined;
        const advance = Number(body?.advanceMs);
        if (!Number.isFinite(advance) || advance < 0) return send(res, 400, { error: { code: 'invalid_input', message: 'advanceMs must be a number ≥ 0' } });
        clock.setOffset(clock.offsetMs() + advance);
        deps.clockMoved?.();
        deps.wakeEngine();
        return send(res, 200, { now: clock.now().toISOString(), offsetMs: clock.offsetMs() });
      }
      const schedule = /^\/_local\/schedules\/([\w-]+)$/.exec(url.pathname);
      if (schedule && req.method === 'POST') {
        const scheduler = deps.scheduler();
        if (!scheduler) return send(res, 503, { error: { code: 'not_ready', message: 'The scheduler is not running' } });
        try {
          return send(res, 200, { result: await scheduler.fire(schedule[1]) });
        } catch (err) {
          return send(res, 404, { error: { code: 'not_found', message: (err as Error).message } });
        }
      }
      if (url.pathname === '/_local/meter') {
        if (req.method === 'POST') return send(res, 200, meter.start());
        if (req.method === 'GET') return send(res, 200, meter.counts());
        if (req.method === 'DELETE') return send(res, 200, meter.stop());
      }
      if (url.pathname === '/_local/faults') {
        const faults = deps.faults?.();
        if (!faults) return send(res, 503, { error: { code: 'not_ready', message: 'The fault-injection proxy is not running' } });
        if (req.method === 'GET') return send(res, 200, faults.counts());
        if (req.method === 'DELETE') return send(res, 200, faults.clear());
        if (req.method === 'POST') {
          const body = (await readJson(req)) as { dynamodb?: unknown } | undefined;
          try {
            if (!body || typeof body !== 'object') throw new FaultSpecError('(body)', 'must be a JSON object {"dynamodb": {...}}');
            return send(res, 200, faults.set(parseDynamodbFaultSpec(body.dynamodb)));
          } catch (err) {
            if (!(err instanceof FaultSpecError)) throw err;
            return send(res, 400, { error: { code: 'invalid_input', message: err.message, details: [{ field: err.field, message: err.message, in: 'body' }] } });
          }
        }
      }
      return send(res, 404, { error: { code: 'not_found', message: `No local control ${req.method} ${url.pathname}` } });
    })();
    return true;
  };
}
