/** The public notice board: by school (and date), or by class. */
import { InvalidInputError } from '../../platform/errors';
import { getClass } from '../registry/registry-repository';
import { getNotice, latestClassNotices, schoolBoard } from './notice-repository';
import type { Notice } from './schemas';

const LATEST = 50;

export async function noticeBoard(q: { schoolId: string; classId?: string; date?: string }): Promise<Notice[]> {
  if (q.classId) {
    const schoolClass = await getClass(q.classId);
    if (!schoolClass || schoolClass.schoolId !== q.schoolId) throw new InvalidInputError('No such class in this school', [{ field: 'classId', message: 'must be a class of the school', in: 'query' }]);
    if (q.date) {
      const notice = await getNotice(q.classId, q.date);
      return notice ? [notice] : [];
    }
    return latestClassNotices(q.classId, LATEST);
  }
  return schoolBoard(q.schoolId, q.date, LATEST);
}
