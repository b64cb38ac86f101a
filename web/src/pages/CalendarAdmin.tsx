/**
 * The admin keeps the working-day calendar: for a year, where it comes from (bundled, entered, missing),
 * its public holidays and make-up working days (调休), one date per line; saving is one PUT, and each of
 * the API's 400 details is shown beside its list, naming the line it came from.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { ApiError, api, type CalendarYear, type Me } from '../api';
import { formatTime, useI18n, type I18n } from '../i18n';
import { navigate } from '../router';
import { Alert, SelectField } from '../components/fields';
import { errorMessage } from '../components/errors';
import { districtDate, syncServerTime, useServerTime } from '../server-time';

type ListName = 'holidays' | 'workdays';

/** One date typed in a list, with the line it is on (the API's `holidays.N` names the N-th date sent). */
interface Entry {
  date: string;
  line: number;
}

/** One date per line; commas and spaces also separate, so a pasted list works too. Empty lines are skipped. */
export function parseDateList(text: string): Entry[] {
  return text.split(/\r?\n/).flatMap((l, i) =>
    l
      .split(/[\s,，、;；]+/)
      .filter(Boolean)
      .map((date) => ({ date, line: i + 1 })),
  );
}

const MIN_YEAR = 2000;
const MAX_YEAR = 2100;
const yearFrom = (s?: string): number | undefined => (s && /^\d{4}$/.test(s) && Number(s) >= MIN_YEAR && Number(s) <= MAX_YEAR ? Number(s) : undefined);

export function CalendarAdmin({ me, year }: { me: Me; year?: string }) {
  const { t } = useI18n();
  const { settled } = useServerTime();
  if (me.role !== 'admin') {
    return (
      <section aria-labelledby="calendar-title">
        <h1 id="calendar-title">{t('calendarTitle')}</h1>
        <Alert kind="error">{t('calendarAdminOnly')}</Alert>
      </section>
    );
  }
  // The default year is the district's current one on the platform's clock: wait for it.
  const chosen = yearFrom(year) ?? (settled ? Number(districtDate().slice(0, 4)) : undefined);
  return (
    <section aria-labelledby="calendar-title">
      <h1 id="calendar-title">{t('calendarTitle')}</h1>
      <p className="hint">{t('calendarIntro')}</p>
      {chosen === undefined ? <p>{t('loading')}</p> : <YearEditor key={chosen} year={chosen} />}
    </section>
  );
}

function YearEditor({ year }: { year: number }) {
  const i18n = useI18n();
  const { t, tf, tv, lang } = i18n;
  const current = Number(districtDate().slice(0, 4));
  const [cal, setCal] = useState<CalendarYear>();
  const [text, setText] = useState<Record<ListName, string>>({ holidays: '', workdays: '' });
  const [errors, setErrors] = useState<Record<ListName, string[]>>({ holidays: [], workdays: [] });
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string }>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let cancelled = false;
    api.calendar(year).then(
      (c) => {
        if (cancelled) return;
        setCal(c);
        setText({ holidays: c.holidays.join('\n'), workdays: c.workdays.join('\n') });
      },
      (e: unknown) => !cancelled && setMessage({ kind: 'error', text: errorMessage(e, i18n) }),
    );
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [year]);

  async function save(ev: FormEvent) {
    ev.preventDefault();
    setMessage(undefined);
    setErrors({ holidays: [], workdays: [] });
    const entries: Record<ListName, Entry[]> = { holidays: parseDateList(text.holidays), workdays: parseDateList(text.workdays) };
    setBusy(true);
    try {
      const saved = await api.putCalendar(year, { holidays: entries.holidays.map((e) => e.date), workdays: entries.workdays.map((e) => e.date) });
      setCal(saved);
      setText({ holidays: saved.holidays.join('\n'), workdays: saved.workdays.join('\n') });
      setMessage({ kind: 'success', text: tf('calendarSaved', { year, holidays: saved.holidays.length, workdays: saved.workdays.length }) });
      // The platform's warnings change with it: the banner goes now, not at the next refresh.
      void syncServerTime();
    } catch (e) {
      const shown = e instanceof ApiError && e.status === 400 ? listErrors(e, entries, tf) : undefined;
      if (shown) setErrors(shown);
      // Details already shown beside their lists are not repeated below; anything else is.
      const all = shown && e instanceof ApiError && e.details.length > 0 && shown.holidays.length + shown.workdays.length === e.details.length;
      setMessage({ kind: 'error', text: all ? t('fixErrors') : errorMessage(e, i18n) });
    } finally {
      setBusy(false);
    }
  }

  const years = [...new Set([current - 1, current, current + 1, current + 2, year])].sort((a, b) => a - b);
  return (
    <>
      <div className="inline-form">
        <SelectField name="year" label={t('year')} value={String(year)} onChange={(y) => navigate('/official/calendar', { year: y })} options={years.map((y) => ({ value: String(y), label: String(y) }))} />
      </div>
      {!cal && !message ? <p>{t('loading')}</p> : null}
      {cal ? (
        <p data-testid="calendar-source" data-source={cal.source}>
          {t('calendarSource')}: <strong>{tv('calsrc_', cal.source)}</strong>
          {cal.updatedBy ? ` · ${t('updatedBy')}: ${cal.updatedBy}` : null}
          {cal.updatedAt ? (
            <>
              {` · ${t('updatedAt')}: `}
              <time dateTime={cal.updatedAt}>{formatTime(cal.updatedAt, lang)}</time>
            </>
          ) : null}
        </p>
      ) : null}
      {cal ? (
        <form onSubmit={(e) => void save(e)} noValidate className="calendar-form">
          <DateListField name="holidays" label={t('holidaysLabel')} hint={t('holidaysHint')} value={text.holidays} onChange={(v) => setText((x) => ({ ...x, holidays: v }))} errors={errors.holidays} />
          <DateListField name="workdays" label={t('workdaysLabel')} hint={t('workdaysHint')} value={text.workdays} onChange={(v) => setText((x) => ({ ...x, workdays: v }))} errors={errors.workdays} />
          {message ? <Alert kind={message.kind}>{message.text}</Alert> : null}
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('submitting') : t('saveCalendar')}
          </button>
        </form>
      ) : message ? (
        <Alert kind={message.kind}>{message.text}</Alert>
      ) : null}
    </>
  );
}

/** The 400's details by list: `workdays.0` becomes "line N (date): message"; a detail naming the list itself stays as it is. */
function listErrors(e: ApiError, entries: Record<ListName, Entry[]>, tf: I18n['tf']): Record<ListName, string[]> {
  const out: Record<ListName, string[]> = { holidays: [], workdays: [] };
  for (const d of e.details) {
    const m = /^(holidays|workdays)(?:\.(\d+))?$/.exec(d.field);
    if (!m) continue;
    const list = m[1] as ListName;
    const entry = m[2] === undefined ? undefined : entries[list][Number(m[2])];
    out[list].push(entry ? tf('lineEntry', { line: entry.line, date: entry.date, message: d.message }) : d.message);
  }
  return out;
}

/** A textarea of dates with its label, hint and every error for it (a list may have several bad lines). */
function DateListField(props: { name: ListName; label: string; hint: string; value: string; onChange: (v: string) => void; errors: string[] }) {
  const id = useId();
  const bad = props.errors.length > 0;
  return (
    <div className={`field${bad ? ' has-error' : ''}`}>
      <label htmlFor={id}>{props.label}</label>
      <textarea
        id={id}
        name={props.name}
        data-field={props.name}
        rows={8}
        value={props.value}
        spellCheck={false}
        aria-invalid={bad ? true : undefined}
        aria-describedby={[`${id}-hint`, bad ? `${id}-error` : ''].filter(Boolean).join(' ')}
        onChange={(e) => props.onChange(e.target.value)}
      />
      <p className="hint" id={`${id}-hint`}>
        {props.hint}
      </p>
      {bad ? (
        <ul className="field-error" id={`${id}-error`} role="alert">
          {props.errors.map((m, i) => (
            <li key={i}>{m}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
