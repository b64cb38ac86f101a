/** POST /api/homework/notices (school administrator of the class's school) */
import { httpRoute, reply } from '../platform/http';
import { NoticeRequest } from '../domain/homework/schemas';
import { publishNotice } from '../domain/homework/publish-notice';

export const handler = httpRoute({ auth: 'official', body: NoticeRequest }, async ({ official, body }) => reply(201, await publishNotice(official, body)));
