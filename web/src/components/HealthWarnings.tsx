/**
 * The platform's warnings (GET /api/health), for the officials who can act on them: admins fix them,
 * supervisors answer for the deadlines they affect. Other officials and citizens never see them.
 */
import type { HealthWarning, Me } from '../api';
import { useI18n, type I18n } from '../i18n';
import { href } from '../router';
import { useServerTime } from '../server-time';

const SHOWN_TO: ReadonlyArray<Me['role']> = ['admin', 'supervisor'];

/** The warning in the reader's language; a code this console does not know yet keeps the platform's own (English) words. */
function warningText(w: HealthWarning, { tf }: Pick<I18n, 'tf'>): string {
  if (w.code === 'calendar_missing' && w.year !== undefined) return tf('warn_calendar_missing', { year: w.year });
  return w.message;
}

export function HealthWarnings({ me }: { me?: Me }) {
  const i18n = useI18n();
  const { warnings } = useServerTime();
  if (!me || !SHOWN_TO.includes(me.role) || warnings.length === 0) return null;
  return (
    <aside className="alert alert-warn" role="status" aria-label={i18n.t('healthWarnings')} data-testid="health-warnings">
      <ul>
        {warnings.map((w) => (
          <li key={`${w.code}-${w.year ?? ''}`} data-code={w.code} data-year={w.year}>
            {warningText(w, i18n)}
            {me.role === 'admin' && w.code === 'calendar_missing' && w.year !== undefined ? (
              <>
                {' '}
                <a href={href('/official/calendar', { year: String(w.year) })}>{i18n.tf('enterCalendar', { year: w.year })}</a>
              </>
            ) : null}
          </li>
        ))}
      </ul>
    </aside>
  );
}
