/** POST /api/tasks/{taskId}/complete (officials), with an optional Idempotency-Key for safe retries. */
import { httpRoute, reply } from '../platform/http';
import { IdempotencyKeyHeader } from '../platform/schemas';
import { CompleteTaskRequest, TaskIdPath } from '../domain/tasks/schemas';
import { completeTask } from '../domain/tasks/complete-task';

export const handler = httpRoute({ auth: 'official', path: TaskIdPath, body: CompleteTaskRequest, headers: IdempotencyKeyHeader }, async ({ official, path, body, headers }) => {
  const { view, replayed } = await completeTask(official, path.taskId, body, headers['idempotency-key']);
  return reply(200, view, replayed ? { 'idempotent-replayed': 'true' } : undefined);
});
