/** The shell: header, language switch, navigation, and the hash routes. */
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { api, session, type Me, type Receipt } from './api';
import { I18nProvider, makeI18n, useI18n, type Lang } from './i18n';
import { href, navigate, useRoute, type Route } from './router';
import { ComplaintForm } from './pages/ComplaintForm';
import { ReceiptPage } from './pages/ReceiptPage';
import { TrackPage } from './pages/TrackPage';
import { NoticeBoard } from './pages/NoticeBoard';
import { SignIn } from './pages/SignIn';
import { Inbox } from './pages/Inbox';
import { CaseDetail } from './pages/CaseDetail';
import { Ledger } from './pages/Ledger';
import { CaseQueue } from './pages/CaseQueue';
import { Campaigns } from './pages/Campaigns';
import { CalendarAdmin } from './pages/CalendarAdmin';
import { AdminConsole } from './pages/admin/AdminConsole';
import { ChangePassword } from './pages/ChangePassword';
import { HealthWarnings } from './components/HealthWarnings';
import { completeSignIn, loadSignInConfig, signOutEverywhere } from './auth/signIn';
import type { SignInConfig } from './auth/cognito';

// SurveyJS is most of the bundle: only the survey page loads it.
const SurveyPage = lazy(() => import('./pages/SurveyPage').then((m) => ({ default: m.SurveyPage })));
// The campaign editor's preview needs SurveyJS too; the results dashboard needs ECharts.
const CampaignCreate = lazy(() => import('./pages/CampaignCreate').then((m) => ({ default: m.CampaignCreate })));
const CampaignPage = lazy(() => import('./pages/CampaignPage').then((m) => ({ default: m.CampaignPage })));

const LANG_KEY = 'dr.lang';
const initialLang = (): Lang => (localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh');

export function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const i18n = useMemo(() => makeI18n(lang, setLang), [lang]);
  useEffect(() => {
    localStorage.setItem(LANG_KEY, lang);
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = i18n.t('appTitle');
  }, [lang, i18n]);
  return (
    <I18nProvider value={i18n}>
      <Shell />
    </I18nProvider>
  );
}

function Shell() {
  const { t, lang, setLang } = useI18n();
  const route = useRoute();
  const [receipt, setReceipt] = useState<Receipt>();
  const [me, setMe] = useState<Me>();
  const [meChecked, setMeChecked] = useState(false);

  const [signInConfig, setSignInConfig] = useState<SignInConfig>();
  const [signInError, setSignInError] = useState<string>();

  // /config.json first (Cognito in AWS, the user picker without it), then a redirect back from the hosted UI, then the session.
  useEffect(() => {
    let cancelled = false;
    (async () => {
      const config = await loadSignInConfig();
      if (cancelled) return;
      setSignInConfig(config);
      if (config.signIn === 'cognito') {
        try {
          if (await completeSignIn(config)) navigate('/official');
        } catch (e) {
          session.clear();
          if (!cancelled) setSignInError(e instanceof Error ? e.message : String(e));
          navigate('/official');
        }
      }
      if (!session.get()) return;
      try {
        const m = await api.me();
        if (!cancelled) setMe(m);
      } catch {
        session.clear();
      }
    })().finally(() => {
      if (!cancelled) setMeChecked(true);
    });
    return () => {
      cancelled = true;
    };
  }, []);

  // Move focus to the new page's heading, so keyboard and screen-reader users land on it.
  useEffect(() => {
    const h = document.querySelector<HTMLElement>('main h1');
    if (h) {
      h.tabIndex = -1;
      h.focus({ preventScroll: false });
    }
  }, [route]);

  const signOut = () => {
    setMe(undefined);
    navigate('/official');
    void signOutEverywhere();
  };

  const section = route.path[0] ?? '';
  const navItems: Array<{ path: string; label: string; active: boolean }> = [
    { path: '/', label: t('navComplaint'), active: section === '' || section === 'receipt' },
    { path: '/track', label: t('navTrack'), active: section === 'track' },
    { path: '/notices', label: t('navNotices'), active: section === 'notices' },
    ...(me
      ? [
          { path: '/official/inbox', label: t('navInbox'), active: section === 'official' && (route.path[1] === undefined || route.path[1] === 'inbox') },
          ...(me.role === 'supervisor' || me.role === 'admin' || me.role === 'group_officer'
            ? [{ path: '/official/queue', label: t('navQueue'), active: section === 'official' && (route.path[1] === 'queue' || route.path[1] === 'cases') }]
            : []),
          { path: '/official/ledger', label: t('navLedger'), active: section === 'official' && route.path[1] === 'ledger' },
          ...(me.role === 'supervisor' || me.role === 'admin' ? [{ path: '/official/campaigns', label: t('navCampaigns'), active: section === 'official' && route.path[1] === 'campaigns' }] : []),
          ...(me.role === 'admin' ? [{ path: '/official/calendar', label: t('navCalendar'), active: section === 'official' && route.path[1] === 'calendar' }] : []),
          ...(me.role === 'admin' ? [{ path: '/official/admin', label: t('navAdmin'), active: section === 'official' && route.path[1] === 'admin' }] : []),
          // Local accounts change their password here; Cognito's hosted UI keeps its own.
          ...(signInConfig?.signIn === 'local' ? [{ path: '/official/password', label: t('navPassword'), active: section === 'official' && route.path[1] === 'password' }] : []),
        ]
      : [{ path: '/official', label: t('navOfficials'), active: section === 'official' }]),
  ];

  return (
    <>
      <a className="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        {t('skipToContent')}
      </a>
      <header className="top">
        <div className="brand">{t('appTitle')}</div>
        <div className="top-actions">
          {me ? (
            <span className="who">
              {t('signedInAs')}: <strong>{me.username}</strong>{' '}
              <button type="button" className="link" onClick={signOut}>
                {t('signOut')}
              </button>
            </span>
          ) : null}
          <button type="button" className="lang" lang={lang === 'zh' ? 'en' : 'zh-CN'} aria-label={t('switchLangLabel')} onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
            {t('switchLang')}
          </button>
        </div>
        <nav aria-label="main">
          <ul>
            {navItems.map((n) => (
              <li key={n.path}>
                <a href={href(n.path)} aria-current={n.active ? 'page' : undefined}>
                  {n.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <HealthWarnings me={me} />
        <Page
          route={route}
          receipt={receipt}
          onFiled={(r) => (setReceipt(r), navigate('/receipt'))}
          me={me}
          meChecked={meChecked}
          signInConfig={signInConfig}
          signInError={signInError}
          onSignedIn={(m) => (setMe(m), navigate(m.mustChangePassword ? '/official/password' : m.role === 'school_admin' ? '/official/ledger' : '/official/inbox'))}
          onMeChanged={setMe}
        />
      </main>
    </>
  );
}

interface PageProps {
  route: Route;
  receipt?: Receipt;
  onFiled: (r: Receipt) => void;
  me?: Me;
  meChecked: boolean;
  signInConfig?: SignInConfig;
  signInError?: string;
  onSignedIn: (me: Me) => void;
  onMeChanged: (me: Me) => void;
}

function Page({ route, receipt, onFiled, me, meChecked, signInConfig, signInError, onSignedIn, onMeChanged }: PageProps) {
  const { t } = useI18n();
  const [section, sub, arg] = route.path;
  switch (section) {
    case undefined:
      return <ComplaintForm onFiled={onFiled} />;
    case 'receipt':
      return <ReceiptPage receipt={receipt} />;
    case 'track':
      return <TrackPage key={route.query.get('receiptNo') ?? ''} initialReceiptNo={route.query.get('receiptNo') ?? undefined} />;
    case 'survey':
      return sub ? (
        <Suspense fallback={<p>{t('loading')}</p>}>
          <SurveyPage key={sub} campaignId={sub} token={route.query.get('token') ?? undefined} />
        </Suspense>
      ) : (
        <NotFound />
      );
    case 'notices':
      return <NoticeBoard initialSchoolId={route.query.get('schoolId') ?? undefined} initialDate={route.query.get('date') ?? undefined} />;
    case 'official': {
      if (!meChecked) return <p>{t('loading')}</p>;
      if (!me) return <SignIn config={signInConfig} error={signInError} onSignedIn={onSignedIn} />;
      // Still on the one-time password: its change is the only page (the API refuses the rest anyway).
      if (me.mustChangePassword || sub === 'password') return <ChangePassword me={me} onChanged={(m) => (onMeChanged(m), sub === 'password' || navigate(m.role === 'school_admin' ? '/official/ledger' : '/official/inbox'))} />;
      if (sub === undefined) return <Inbox />;
      if (sub === 'inbox') return <Inbox />;
      if (sub === 'cases' && arg) return <CaseDetail key={arg} receiptNo={arg} />;
      if (sub === 'queue') return <CaseQueue me={me} />;
      if (sub === 'campaigns' && arg === 'new')
        return (
          <Suspense fallback={<p>{t('loading')}</p>}>
            <CampaignCreate me={me} />
          </Suspense>
        );
      if (sub === 'campaigns' && arg)
        return (
          <Suspense fallback={<p>{t('loading')}</p>}>
            <CampaignPage key={arg} campaignId={arg} />
          </Suspense>
        );
      if (sub === 'campaigns') return <Campaigns me={me} />;
      if (sub === 'admin') return <AdminConsole me={me} tab={route.query.get('tab') ?? undefined} />;
      if (sub === 'calendar') return <CalendarAdmin me={me} year={route.query.get('year') ?? undefined} />;
      if (sub === 'ledger') return <Ledger me={me} schoolId={route.query.get('schoolId') ?? undefined} />;
      return <NotFound />;
    }
    default:
      return <NotFound />;
  }
}

function NotFound() {
  const { t } = useI18n();
  return (
    <section>
      <h1>404</h1>
      <a href={href('/')}>{t('navComplaint')}</a>
    </section>
  );
}
