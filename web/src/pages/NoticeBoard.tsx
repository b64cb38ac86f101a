/** The public homework notice board (作业公示): one school, one day, every class's notice with its rule check. */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, type HomeworkNotice, type School } from '../api';
import { useI18n } from '../i18n';
import { Alert, SelectField, TextField } from '../components/fields';
import { errorMessage } from '../components/errors';
import { useSchools } from '../components/useSchools';
import { districtDate, useClockDefault } from '../server-time';

export function NoticeBoard({ initialSchoolId, initialDate }: { initialSchoolId?: string; initialDate?: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const schools = useSchools();
  const [schoolId, setSchoolId] = useState(initialSchoolId ?? '');
  // Today on the platform's clock (district time), not the browser's: empty until the platform answers.
  const [date, setDate] = useClockDefault(() => districtDate(), initialDate);
  const [notices, setNotices] = useState<HomeworkNotice[]>();
  const [error, setError] = useState<string>();
  const [schoolError, setSchoolError] = useState<string>();

  async function load(sid: string, d: string) {
    setError(undefined);
    try {
      setNotices(await api.notices(sid, d));
    } catch (e) {
      setNotices(undefined);
      setError(errorMessage(e, i18n));
    }
  }

  // A link naming a school shows its board at once, as soon as the date is known.
  const linkLoaded = useRef(false);
  useEffect(() => {
    if (!initialSchoolId || !date || linkLoaded.current) return;
    linkLoaded.current = true;
    void load(initialSchoolId, date);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [date]);

  function show(ev: FormEvent) {
    ev.preventDefault();
    if (!schoolId) {
      setSchoolError(t('chooseSchool'));
      return;
    }
    setSchoolError(undefined);
    void load(schoolId, date);
  }

  const school: School | undefined = schools.data?.find((s) => s.schoolId === schoolId);
  return (
    <section aria-labelledby="notices-title">
      <h1 id="notices-title">{t('noticesTitle')}</h1>
      <form onSubmit={show} noValidate className="inline-form">
        <SelectField name="schoolId" label={t('school')} required value={schoolId} onChange={setSchoolId} placeholder={t('chooseSchool')} options={(schools.data ?? []).map((s) => ({ value: s.schoolId, label: s.name }))} error={schoolError ?? schools.error} />
        <TextField name="date" type="date" label={t('date')} required value={date} onChange={setDate} />
        <button type="submit" className="primary">
          {t('show')}
        </button>
      </form>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {notices && notices.length === 0 ? <p>{t('noNotices')}</p> : null}
      {notices?.map((n) => <NoticeCard key={n.noticeId} notice={n} className={school?.classes.find((c) => c.classId === n.classId)?.name ?? n.classId} />)}
    </section>
  );
}

function NoticeCard({ notice, className }: { notice: HomeworkNotice; className: string }) {
  const { t, tv } = useI18n();
  return (
    <article className="card" aria-label={className}>
      <h2>{className}</h2>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col" className="nowrap">{t('subjectCol')}</th>
              <th scope="col">{t('contentCol')}</th>
              <th scope="col" className="nowrap">{t('kindCol')}</th>
              <th scope="col" className="nowrap">{t('minutesCol')}</th>
            </tr>
          </thead>
          <tbody>
            {notice.items.map((item, i) => (
              <tr key={i}>
                <td className="nowrap">{item.subject}</td>
                <td>{item.content}</td>
                <td className="nowrap">{tv('kind_', item.kind)}</td>
                <td className="num nowrap">{item.minutes}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        {t('writtenMinutes')} {notice.writtenMinutes} {t('minutes')} · {t('totalMinutes')} {notice.totalMinutes} {t('minutes')}
      </p>
      {notice.violations.length > 0 ? (
        <div className="alert alert-warn">
          <strong>{t('violations')}</strong>
          <ul>
            {notice.violations.map((v, i) => (
              <li key={i}>{v.message}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </article>
  );
}
