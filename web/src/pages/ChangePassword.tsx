/**
 * A local account's password change (one machine): forced after a sign-in with the one-time password
 * (nothing else opens until it is done), and at #/official/password whenever the official wants. The
 * session goes on with the tokens the change answers; the account's other sessions end.
 */
import { useState, type FormEvent } from 'react';
import { ApiError, api, session, type Me } from '../api';
import { useI18n } from '../i18n';
import { Alert, TextField } from '../components/fields';
import { errorMessage, fieldErrorsOf } from '../components/errors';

export function ChangePassword({ me, onChanged }: { me: Me; onChanged: (me: Me) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string }>();
  const [busy, setBusy] = useState(false);

  async function save(ev: FormEvent) {
    ev.preventDefault();
    setMessage(undefined);
    if (next !== repeat) {
      setErrors({ repeat: t('passwordsDiffer') });
      return;
    }
    setBusy(true);
    try {
      const tokens = await api.changePassword(current, next);
      session.set({ username: me.username, token: tokens.token, refreshToken: tokens.refreshToken });
      setErrors({});
      setCurrent('');
      setNext('');
      setRepeat('');
      setMessage({ kind: 'success', text: t('passwordSaved') });
      onChanged({ ...me, mustChangePassword: false });
    } catch (e) {
      const wrongCurrent = e instanceof ApiError && e.status === 401;
      setErrors(wrongCurrent ? { currentPassword: t('wrongCurrentPassword') } : fieldErrorsOf(e));
      setMessage({ kind: 'error', text: wrongCurrent ? t('wrongCurrentPassword') : errorMessage(e, i18n) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="password-title">
      <h1 id="password-title">{t('passwordTitle')}</h1>
      {me.mustChangePassword ? <Alert kind="info">{t('passwordFirstIntro')}</Alert> : null}
      <p className="hint">{t('passwordIntro')}</p>
      <form onSubmit={(e) => void save(e)} noValidate>
        <TextField name="currentPassword" label={t('currentPassword')} type="password" required value={current} onChange={setCurrent} error={errors.currentPassword} autoComplete="current-password" />
        <TextField name="newPassword" label={t('newPassword')} type="password" required value={next} onChange={setNext} error={errors.newPassword} autoComplete="new-password" />
        <TextField name="repeat" label={t('repeatPassword')} type="password" required value={repeat} onChange={setRepeat} error={errors.repeat} autoComplete="new-password" />
        {message ? <Alert kind={message.kind}>{message.text}</Alert> : null}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('submitting') : t('savePassword')}
        </button>
      </form>
    </section>
  );
}
