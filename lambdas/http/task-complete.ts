/** POST /api/tasks/{taskId}/complete (officials) */
import { httpRoute, reply } from '../platform/http';
import { CompleteTaskRequest, TaskIdPath } from '../domain/tasks/schemas';
import { completeTask } from '../domain/tasks/complete-task';

export const handler = httpRoute({ auth: 'official', path: TaskIdPath, body: CompleteTaskRequest }, async ({ official, path, body }) =>
  reply(200, await completeTask(official, path.taskId, body)),
);
