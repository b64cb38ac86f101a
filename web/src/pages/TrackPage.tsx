/** The citizen's view of a case: receipt number + access code → status and timeline; one rating after closure. */
import { useState, type FormEvent } from 'react';
import { ApiError, api, type PublicCaseView } from '../api';
import { formatTime, useI18n } from '../i18n';
import { Alert, ChoiceGroup, TextArea, TextField } from '../components/fields';
import { errorMessage } from '../components/errors';

export function TrackPage({ initialReceiptNo }: { initialReceiptNo?: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [receiptNo, setReceiptNo] = useState(initialReceiptNo ?? '');
  const [code, setCode] = useState('');
  const [view, setView] = useState<PublicCaseView>();
  const [error, setError] = useState<string>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  async function track(ev: FormEvent) {
    ev.preventDefault();
    setError(undefined);
    const errs: Record<string, string> = {};
    if (!receiptNo.trim()) errs.receiptNo = t('errRequired');
    if (!code.trim()) errs.accessCode = t('errRequired');
    setFieldErrors(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      setView(await api.trackComplaint(receiptNo.trim().toUpperCase(), code.trim()));
    } catch (e) {
      setView(undefined);
      setError(e instanceof ApiError && e.status === 400 ? t('notFound') : errorMessage(e, i18n));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="track-title">
      <h1 id="track-title">{t('trackTitle')}</h1>
      <form onSubmit={track} noValidate>
        <TextField name="receiptNo" label={t('receiptNo')} required value={receiptNo} onChange={setReceiptNo} maxLength={20} error={fieldErrors.receiptNo} />
        <TextField name="accessCode" label={t('accessCode')} required value={code} onChange={setCode} maxLength={20} autoComplete="off" error={fieldErrors.accessCode} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('loading') : t('track')}
        </button>
      </form>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {view ? <CaseTimeline view={view} /> : null}
      {view?.status === 'closed' ? <RatingForm receiptNo={view.receiptNo} accessCode={code.trim()} /> : null}
    </section>
  );
}

function CaseTimeline({ view }: { view: PublicCaseView }) {
  const { t, tv, lang } = useI18n();
  return (
    <article className="card" aria-labelledby="case-status" data-testid="public-case">
      <h2 id="case-status">
        {view.receiptNo} · <span className={`status status-${view.status}`}>{tv('st_', view.status)}</span>
      </h2>
      <p>
        {t('category')}: {tv('cat_', view.category)} · {t('submittedAt')}: {formatTime(view.submittedAt, lang)}
      </p>
      {view.outcome ? (
        <p>
          <strong>{t('outcome')}:</strong> {view.outcome}
        </p>
      ) : null}
      <h3>{t('timeline')}</h3>
      <ol className="timeline" data-testid="timeline">
        {view.timeline.map((entry, i) => (
          <li key={i}>
            <time dateTime={entry.at}>{formatTime(entry.at, lang)}</time> <strong>{tv('st_', entry.status)}</strong>
            {entry.note ? <p>{entry.note}</p> : null}
          </li>
        ))}
      </ol>
    </article>
  );
}

function RatingForm({ receiptNo, accessCode }: { receiptNo: string; accessCode: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [score, setScore] = useState<string[]>([]);
  const [comment, setComment] = useState('');
  const [state, setState] = useState<{ kind: 'error' | 'success'; text: string }>();
  const [scoreError, setScoreError] = useState<string>();

  async function rate(ev: FormEvent) {
    ev.preventDefault();
    if (!score[0]) {
      setScoreError(t('errRequired'));
      return;
    }
    setScoreError(undefined);
    try {
      await api.rateComplaint(receiptNo, accessCode, { score: Number(score[0]), ...(comment.trim() ? { comment: comment.trim() } : {}) });
      setState({ kind: 'success', text: t('rated') });
    } catch (e) {
      setState({ kind: 'error', text: e instanceof ApiError && e.status === 409 ? t('alreadyRated') : errorMessage(e, i18n) });
    }
  }

  if (state?.kind === 'success') return <Alert kind="success">{state.text}</Alert>;
  return (
    <form onSubmit={rate} noValidate className="card" aria-labelledby="rating-title">
      <h2 id="rating-title">{t('ratingTitle')}</h2>
      <ChoiceGroup legend={t('score')} name="score" type="radio" required options={['1', '2', '3', '4', '5'].map((v) => ({ value: v, label: v }))} selected={score} onChange={setScore} error={scoreError} />
      <TextArea name="comment" label={t('ratingComment')} value={comment} onChange={setComment} maxLength={500} rows={3} />
      {state ? <Alert kind={state.kind}>{state.text}</Alert> : null}
      <button type="submit" className="primary">
        {t('rate')}
      </button>
    </form>
  );
}
