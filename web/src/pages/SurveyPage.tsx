/** A parent answers an open survey: the campaign's SurveyJS form rendered by survey-react-ui, one answer per token. */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Model } from 'survey-core';
import { Survey } from 'survey-react-ui';
import 'survey-core/survey-core.fontless.css';
import 'survey-core/i18n/simplified-chinese';
import { ApiError, api, type SurveyAnswers, type SurveyForm } from '../api';
import { useI18n } from '../i18n';
import { Alert, TextField } from '../components/fields';
import { errorMessage } from '../components/errors';

type Outcome = { kind: 'success' } | { kind: 'error'; text: string; retry: boolean };

export function SurveyPage({ campaignId, token: initialToken }: { campaignId: string; token?: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [token, setToken] = useState(initialToken ?? '');
  const [started, setStarted] = useState(Boolean(initialToken));
  const [form, setForm] = useState<SurveyForm>();
  const [loadError, setLoadError] = useState<string>();

  useEffect(() => {
    let live = true;
    setForm(undefined);
    setLoadError(undefined);
    api
      .survey(campaignId)
      .then((s) => live && setForm(s.form))
      .catch((e: unknown) => live && setLoadError(e instanceof ApiError && e.status === 409 ? t('surveyNotOpen') : errorMessage(e, i18n)));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [campaignId]);

  function start(ev: FormEvent) {
    ev.preventDefault();
    if (token.trim()) setStarted(true);
  }

  return (
    <section aria-labelledby="survey-title">
      <h1 id="survey-title" className="sr-only">
        {t('surveyTitle')}
      </h1>
      {loadError ? <Alert kind="error">{loadError}</Alert> : null}
      {!form && !loadError ? <p>{t('loading')}</p> : null}
      {form && !started ? (
        <form onSubmit={start} noValidate>
          <TextField name="token" label={t('surveyToken')} hint={t('surveyTokenHint')} required value={token} onChange={setToken} autoComplete="off" />
          <button type="submit" className="primary">
            {t('surveyStart')}
          </button>
        </form>
      ) : null}
      {form && started ? <SurveyRunner campaignId={campaignId} token={token.trim()} form={form} /> : null}
    </section>
  );
}

function SurveyRunner({ campaignId, token, form }: { campaignId: string; token: string; form: SurveyForm }) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const [outcome, setOutcome] = useState<Outcome>();
  const model = useMemo(() => {
    const m = new Model(form);
    m.showCompletedPage = false;
    return m;
  }, [form]);

  useEffect(() => {
    model.locale = lang === 'zh' ? 'zh-cn' : 'en';
  }, [model, lang]);

  useEffect(() => {
    const onComplete = (sender: Model) => {
      setOutcome(undefined);
      api
        .answerSurvey(campaignId, token, sender.data as SurveyAnswers)
        .then(() => setOutcome({ kind: 'success' }))
        .catch((e: unknown) => {
          if (e instanceof ApiError && e.status === 400) {
            setOutcome({ kind: 'error', text: `${t('surveyInvalid')} ${e.details.map((d) => `${d.field}: ${d.message}`).join('; ') || e.message}`, retry: true });
            sender.clear(false, true); // back to the form, answers kept
          } else if (e instanceof ApiError && e.status === 409) setOutcome({ kind: 'error', text: `${t('surveyUsed')} (${e.message})`, retry: false });
          else {
            setOutcome({ kind: 'error', text: errorMessage(e, i18n), retry: true });
            sender.clear(false, true);
          }
        });
    };
    model.onComplete.add(onComplete);
    return () => model.onComplete.remove(onComplete);
  }, [model, campaignId, token, t, i18n]);

  if (outcome?.kind === 'success')
    return (
      <div data-testid="survey-success">
        <Alert kind="success">{t('surveyThanks')}</Alert>
      </div>
    );
  return (
    <>
      {outcome ? (
        <div data-testid="survey-error">
          <Alert kind="error">{outcome.text}</Alert>
        </div>
      ) : null}
      {outcome && !outcome.retry ? null : <Survey model={model} />}
    </>
  );
}
