/** GET /api/homework/notices?schoolId=&classId=&date= (public) */
import { httpRoute, reply } from '../platform/http';
import { NoticeQuery } from '../domain/homework/schemas';
import { noticeBoard } from '../domain/homework/notice-board';

export const handler = httpRoute({ auth: 'public', query: NoticeQuery }, async ({ query }) => reply(200, await noticeBoard(query)));
