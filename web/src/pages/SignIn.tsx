/**
 * Officials' sign-in. In AWS (/config.json says cognito): a button to Cognito's hosted UI (code grant + PKCE).
 * On one machine: username and password of a local account (POST /api/auth/login); in development mode
 * also a picker over the seeded demo users (POST /api/dev/login, absent in production and in the cloud).
 */
import { useState, type FormEvent } from 'react';
import { ApiError, api, session, type Me, type SessionTokens } from '../api';
import { useI18n } from '../i18n';
import { Alert, SelectField, TextField } from '../components/fields';
import { errorMessage } from '../components/errors';
import { beginSignIn } from '../auth/signIn';
import { DEFAULT_SIGN_IN, type CognitoConfig, type SignInConfig } from '../auth/cognito';

export const DEMO_USERS = [
  'supervisor',
  'group_1',
  'group_2',
  'group_3',
  'group_4',
  'school_supervision',
  'teacher_conduct',
  'dept_education',
  'dept_public_security',
  'dept_market_regulation',
  'dept_civil_affairs',
  'dept_housing_construction',
  'dept_emergency_management',
  'school_admin_p06',
  'school_admin_p11',
  'school_admin_p16',
  'school_admin_p03',
  'school_admin_p09',
  'school_admin_m04',
  'admin',
] as const;

export function SignIn({ config, error, onSignedIn }: { config?: SignInConfig; error?: string; onSignedIn: (me: Me) => void }) {
  const c = config ?? DEFAULT_SIGN_IN;
  if (c.signIn === 'cognito') return <HostedUiSignIn config={c} error={error} />;
  return (
    <>
      <PasswordSignIn onSignedIn={onSignedIn} />
      {c.demo ? <DemoUserSignIn onSignedIn={onSignedIn} /> : null}
    </>
  );
}

/** Keeps the session, then asks who signed in (the registry's role and scope). */
async function begin(username: string, tokens: SessionTokens): Promise<Me> {
  session.set({ username, token: tokens.token, refreshToken: tokens.refreshToken });
  return { ...(await api.me()), mustChangePassword: tokens.mustChangePassword };
}

function PasswordSignIn({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function signIn(ev: FormEvent) {
    ev.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const name = username.trim();
      onSignedIn(await begin(name, await api.login(name, password)));
    } catch (e) {
      session.clear();
      setPassword('');
      setError(e instanceof ApiError && e.status === 401 ? t('wrongPassword') : e instanceof ApiError && e.status === 429 ? t('accountLocked') : errorMessage(e, i18n));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="password-signin-title">
      <h1 id="password-signin-title">{t('signInTitle')}</h1>
      <form onSubmit={signIn} noValidate>
        <TextField name="username" label={t('username')} required value={username} onChange={setUsername} autoComplete="username" />
        <TextField name="password" label={t('password')} type="password" required value={password} onChange={setPassword} autoComplete="current-password" />
        {error ? <Alert kind="error">{error}</Alert> : null}
        <button type="submit" className="primary" disabled={busy || !username.trim() || !password}>
          {busy ? t('loading') : t('signIn')}
        </button>
      </form>
    </section>
  );
}

function HostedUiSignIn({ config, error }: { config: CognitoConfig; error?: string }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<string>();
  async function go(ev: FormEvent) {
    ev.preventDefault();
    setBusy(true);
    try {
      await beginSignIn(config);
    } catch (e) {
      setFailed(e instanceof Error ? e.message : String(e));
      setBusy(false);
    }
  }
  const shown = failed ?? error;
  return (
    <section aria-labelledby="signin-title">
      <h1 id="signin-title">{t('signInCognitoTitle')}</h1>
      <p>{t('signInCognitoIntro')}</p>
      {shown ? (
        <Alert kind="error">
          {t('signInFailed')} ({shown})
        </Alert>
      ) : null}
      <form onSubmit={go}>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('loading') : t('signInCognito')}
        </button>
      </form>
    </section>
  );
}

function DemoUserSignIn({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [username, setUsername] = useState<string>('supervisor');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function signIn(ev: FormEvent) {
    ev.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await begin(username, await api.devLogin(username)));
    } catch (e) {
      session.clear();
      setError(errorMessage(e, i18n));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="signin-title" className="demo-signin">
      <h2 id="signin-title">{t('demoSignInTitle')}</h2>
      <p>{t('signInIntro')}</p>
      <form onSubmit={signIn} noValidate>
        <SelectField name="demoUser" label={t('user')} required value={username} onChange={setUsername} options={DEMO_USERS.map((u) => ({ value: u, label: u }))} />
        {error ? <Alert kind="error">{error}</Alert> : null}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('loading') : t('signIn')}
        </button>
      </form>
    </section>
  );
}
