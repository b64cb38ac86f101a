/**
 * One campaign for a supervisor: status and rounds, one-time survey codes with ready links, and the live
 * results of a round (participation, a chart per question) with CSV/XLSX exports.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ApiError, api, type Campaign, type CampaignResults, type ExportFormat, type QuestionResult, type SurveyForm, type Tokens } from '../api';
import { formatTime, useI18n, type Lang } from '../i18n';
import { href } from '../router';
import { Alert, SelectField, TextField } from '../components/fields';
import { errorMessage } from '../components/errors';
import { useSchools } from '../components/useSchools';
import { BarChartView, GaugeView } from '../components/Chart';
import { PrintSheet } from '../components/PrintSheet';

type Labels = Record<string, Record<string, string>>;

/** A SurveyJS localizable string: a plain string, or {default, en, "zh-cn", …}. */
function text(v: unknown, lang: Lang): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    const pick = lang === 'en' ? (o.en ?? o.default) : (o['zh-cn'] ?? o.default);
    return typeof pick === 'string' ? pick : undefined;
  }
  return undefined;
}

/** Question name → answer value → its text in the form, for chart labels. */
function choiceLabels(form: SurveyForm | undefined, lang: Lang): Labels {
  const out: Labels = {};
  const visit = (elements: unknown) => {
    if (!Array.isArray(elements)) return;
    for (const el of elements) {
      if (typeof el !== 'object' || el === null) continue;
      const e = el as Record<string, unknown>;
      if (typeof e.name === 'string') {
        const m: Record<string, string> = {};
        if (Array.isArray(e.choices))
          for (const c of e.choices) {
            if (typeof c === 'string' || typeof c === 'number') m[String(c)] = String(c);
            else if (typeof c === 'object' && c !== null) {
              const co = c as Record<string, unknown>;
              if (co.value !== undefined) m[String(co.value)] = text(co.text, lang) ?? String(co.value);
            }
          }
        const lt = text(e.labelTrue, lang);
        const lf = text(e.labelFalse, lang);
        if (lt) m.true = lt;
        if (lf) m.false = lf;
        out[e.name] = m;
      }
      visit(e.elements);
    }
  };
  if (form && Array.isArray(form.pages)) for (const p of form.pages) if (typeof p === 'object' && p !== null) visit((p as Record<string, unknown>).elements);
  if (form) visit(form.elements);
  return out;
}

const pct = (r: number): string => `${Math.round(r * 1000) / 10}%`;

export function CampaignPage({ campaignId }: { campaignId: string }) {
  const i18n = useI18n();
  const { t, tv, lang } = i18n;
  const [campaign, setCampaign] = useState<Campaign>();
  const [error, setError] = useState<string>();
  const [form, setForm] = useState<SurveyForm>();

  const load = useCallback(async () => {
    setError(undefined);
    try {
      setCampaign(await api.campaign(campaignId));
    } catch (e) {
      setError(errorMessage(e, i18n));
    }
  }, [campaignId, i18n]);

  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [campaignId]);

  // The open round's form (public) gives the answers' texts for the charts; otherwise they show values.
  const status = campaign?.status;
  useEffect(() => {
    if (status !== 'open' || form) return;
    let live = true;
    api
      .survey(campaignId)
      .then((s) => live && setForm(s.form))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [status, form, campaignId]);

  return (
    <section aria-labelledby="campaign-title">
      <p>
        <a href={href('/official/campaigns')}>← {t('campaignsTitle')}</a>
      </p>
      <div className="title-row">
        <h1 id="campaign-title">{campaign?.title ?? campaignId}</h1>
        <button type="button" onClick={() => void load()}>
          {t('refresh')}
        </button>
      </div>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {!campaign && !error ? <p>{t('loading')}</p> : null}
      {campaign ? (
        <>
          <dl className="facts">
            <dt>{t('campaignId')}</dt>
            <dd className="mono">{campaign.campaignId}</dd>
            <dt>{t('campaignStatus')}</dt>
            <dd data-testid="campaign-status" data-status={campaign.status}>
              {tv('cst_', campaign.status)}
            </dd>
            {campaign.nextOpensAt ? (
              <>
                <dt>{t('nextOpensAt')}</dt>
                <dd>
                  <time dateTime={campaign.nextOpensAt}>{formatTime(campaign.nextOpensAt, lang)}</time>
                </dd>
              </>
            ) : null}
          </dl>
          <h2>{t('rounds')}</h2>
          {campaign.rounds.length === 0 ? <p>{t('noRounds')}</p> : null}
          {campaign.rounds.length ? (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('roundLabel')}</th>
                    <th scope="col">{t('opensAt')}</th>
                    <th scope="col">{t('closesAt')}</th>
                    <th scope="col">{t('campaignStatus')}</th>
                    <th scope="col">{t('enrolled')}</th>
                  </tr>
                </thead>
                <tbody>
                  {campaign.rounds.map((r) => (
                    <tr key={r.round}>
                      <td className="num">{r.round}</td>
                      <td>{formatTime(r.opensAt, lang)}</td>
                      <td>{formatTime(r.closesAt, lang)}</td>
                      <td>{tv('cst_', r.status)}</td>
                      <td className="num">{r.enrolled}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          <TokensForm campaign={campaign} onIssued={() => void load()} />
          <ResultsPanel campaign={campaign} labels={choiceLabels(form, lang)} />
        </>
      ) : null}
    </section>
  );
}

function TokensForm({ campaign, onIssued }: { campaign: Campaign; onIssued: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const schools = useSchools();
  const [classId, setClassId] = useState(campaign.audience.classIds[0] ?? '');
  const [count, setCount] = useState('5');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string>();
  const [issued, setIssued] = useState<Tokens[]>([]);
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState<string>();

  const className = (id: string): string => {
    for (const s of schools.data ?? []) {
      const c = s.classes.find((x) => x.classId === id);
      if (c) return `${s.name} ${c.name}`;
    }
    return id;
  };
  const link = (token: string): string => `${window.location.origin}${window.location.pathname}#/survey/${encodeURIComponent(campaign.campaignId)}?token=${encodeURIComponent(token)}`;

  async function copy(value: string, key: string) {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      // No clipboard permission (plain http, old browser): select-and-copy by hand still works.
      const ta = document.createElement('textarea');
      ta.value = value;
      document.body.appendChild(ta);
      ta.select();
      document.execCommand('copy');
      ta.remove();
    }
    setCopied(key);
  }

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    setMessage(undefined);
    const n = Number(count);
    const local: Record<string, string> = {};
    if (!classId) local.classId = t('errRequired');
    if (!Number.isInteger(n) || n < 1 || n > 500) local.count = '1–500';
    setErrors(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      const got = await api.issueTokens(campaign.campaignId, { classId, count: n });
      setIssued((list) => [got, ...list]);
      onIssued();
    } catch (e) {
      if (e instanceof ApiError && e.status === 400) setErrors(e.fieldErrors());
      setMessage(errorMessage(e, i18n));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="tokens-title" className="card">
      <h2 id="tokens-title">{t('tokensTitle')}</h2>
      <form onSubmit={submit} noValidate className="inline-form" aria-label={t('tokensTitle')}>
        <SelectField name="classId" label={t('classLabel')} required value={classId} onChange={setClassId} placeholder={t('chooseClass')} options={campaign.audience.classIds.map((id) => ({ value: id, label: className(id) }))} error={errors.classId} />
        <TextField name="count" type="number" label={t('count')} required min={1} max={500} value={count} onChange={setCount} error={errors.count} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('submitting') : t('issueTokens')}
        </button>
      </form>
      {message ? <Alert kind="error">{message}</Alert> : null}
      {issued.map((batch, b) => (
        <div key={b} className="tokens" data-testid="token-batch">
          <h3>
            {className(batch.classId)} · {t('roundLabel')} {batch.round}{' '}
            <button type="button" className="link" onClick={() => void copy(batch.tokens.map(link).join('\n'), `all-${b}`)}>
              {copied === `all-${b}` ? t('copied') : t('copyAll')}
            </button>
          </h3>
          <details className="no-print-details">
            <summary>{t('showSheet')}</summary>
            <PrintSheet
              id={`tokens-${b}`}
              title={campaign.title}
              subtitle={`${className(batch.classId)} · ${t('roundLabel')} ${batch.round}`}
              instructions={t('sheetInstructions')}
              items={batch.tokens.map((tok) => ({ code: tok, url: link(tok) }))}
            />
          </details>
          <ul className="token-list">
            {batch.tokens.map((tok) => (
              <li key={tok} data-testid="token" data-token={tok}>
                <span className="mono">{tok}</span>{' '}
                <a href={link(tok)} className="nowrap">
                  {t('surveyLink')}
                </a>{' '}
                <button type="button" onClick={() => void copy(link(tok), tok)} aria-label={`${t('copy')} ${t('surveyLink')} ${tok}`}>
                  {copied === tok ? t('copied') : t('copy')}
                </button>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

function ResultsPanel({ campaign, labels }: { campaign: Campaign; labels: Labels }) {
  const i18n = useI18n();
  const { t, tv } = i18n;
  const rounds = campaign.rounds.map((r) => r.round);
  const [round, setRound] = useState<string>('');
  const [results, setResults] = useState<CampaignResults>();
  const [error, setError] = useState<string>();
  const [none, setNone] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [exported, setExported] = useState<string>();

  useEffect(() => {
    let live = true;
    setError(undefined);
    setNone(false);
    api
      .campaignResults(campaign.campaignId, round ? Number(round) : undefined)
      .then((r) => live && setResults(r))
      .catch((e: unknown) => {
        if (!live) return;
        setResults(undefined);
        if (e instanceof ApiError && e.status === 404) setNone(true);
        else setError(errorMessage(e, i18n));
      });
    return () => {
      live = false;
    };
    // Reload when the campaign reloads (a round may have opened) or another round is chosen.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [campaign, round]);

  async function exportAs(format: ExportFormat) {
    setExporting(true);
    setExported(undefined);
    setError(undefined);
    try {
      const name = await api.exportCampaign(campaign.campaignId, format, round ? Number(round) : undefined);
      setExported(`${t('downloaded')}${name}`);
    } catch (e) {
      setError(errorMessage(e, i18n));
    } finally {
      setExporting(false);
    }
  }

  return (
    <section aria-labelledby="results-title" className="card" data-testid="results">
      <h2 id="results-title">{t('resultsTitle')}</h2>
      {rounds.length > 1 ? (
        <SelectField name="round" label={t('roundLabel')} value={round} onChange={setRound} options={[...rounds].reverse().map((r) => ({ value: String(r), label: `${t('roundLabel')} ${r}` }))} placeholder={`${t('roundLabel')} ${rounds[rounds.length - 1]}`} />
      ) : null}
      {none ? <p>{t('noResults')}</p> : null}
      {error ? <Alert kind="error">{error}</Alert> : null}
      {results ? (
        <>
          <dl className="facts" data-testid="participation" data-rate={results.participationRate}>
            <dt>{t('roundLabel')}</dt>
            <dd>
              {results.round} · {tv('cst_', results.status)}
            </dd>
            <dt>{t('responses')}</dt>
            <dd>
              {results.responses} / {results.enrolled}
            </dd>
            <dt>{t('participation')}</dt>
            <dd>{pct(results.participationRate)}</dd>
          </dl>
          <GaugeView rate={results.participationRate} label={t('participation')} />
          <div className="actions">
            <button type="button" disabled={exporting} onClick={() => void exportAs('csv')}>
              {t('exportCsv')}
            </button>
            <button type="button" disabled={exporting} onClick={() => void exportAs('xlsx')}>
              {t('exportXlsx')}
            </button>
          </div>
          {exported ? <Alert kind="success">{exported}</Alert> : null}
          {Object.entries(results.questions).map(([name, q]) => (
            <QuestionChart key={name} name={name} q={q} labels={labels[name] ?? {}} />
          ))}
        </>
      ) : null}
    </section>
  );
}

function QuestionChart({ name, q, labels }: { name: string; q: QuestionResult; labels: Record<string, string> }) {
  const { t } = useI18n();
  const label = (v: string) => labels[v] ?? v;
  let chart = null;
  if (q.type === 'boolean' && q.counts) {
    const yes = labels.true ?? t('yes');
    chart = (
      <>
        <p>
          {t('trueRate')}（{yes}）: {q.trueRate === null || q.trueRate === undefined ? '—' : pct(q.trueRate)}
        </p>
        <BarChartView label={q.title} labels={[yes, labels.false ?? t('no')]} values={[q.counts.true ?? 0, q.counts.false ?? 0]} summary={`${yes} ${q.counts.true ?? 0}, ${labels.false ?? t('no')} ${q.counts.false ?? 0}`} />
      </>
    );
  } else if (q.distribution) {
    const keys = Object.keys(q.distribution);
    chart = (
      <>
        <p>
          {t('mean')}: {q.mean ?? '—'}
        </p>
        <BarChartView label={q.title} labels={keys.map(label)} values={keys.map((k) => q.distribution?.[k] ?? 0)} summary={keys.map((k) => `${label(k)} ${q.distribution?.[k] ?? 0}`).join(', ')} />
      </>
    );
  } else if (q.counts) {
    // Keep the form's order of choices when known (JavaScript lists integer-like keys first).
    const known = Object.keys(labels).filter((k) => k in (q.counts ?? {}));
    const keys = [...known, ...Object.keys(q.counts).filter((k) => !known.includes(k))];
    chart = <BarChartView label={q.title} labels={keys.map(label)} values={keys.map((k) => q.counts?.[k] ?? 0)} summary={keys.map((k) => `${label(k)} ${q.counts?.[k] ?? 0}`).join(', ')} />;
  }
  return (
    <article className="question-result" data-testid="question-result" data-question={name}>
      <h3>{q.title}</h3>
      <p className="meta">
        {t('answered')}: {q.answered}
      </p>
      {chart}
    </article>
  );
}
