/**
 * A supervisor creates a questionnaire campaign: title, audience (classes by school), schedule (one-off in
 * district time or recurring cron), thresholds, and the SurveyJS JSON form with a live preview. The API's
 * 400 field paths are shown beside the inputs they name.
 */
import { useEffect, useId, useMemo, useState, type ChangeEvent, type FormEvent } from 'react';
import { Model } from 'survey-core';
import { Survey } from 'survey-react-ui';
import 'survey-core/survey-core.fontless.css';
import 'survey-core/i18n/simplified-chinese';
import { ApiError, api, type CampaignRequest, type CampaignSchedule, type Me, type SurveyForm, type Threshold } from '../api';
import { useI18n } from '../i18n';
import { navigate } from '../router';
import { Alert, ChoiceGroup, TextArea, TextField } from '../components/fields';
import { errorMessage } from '../components/errors';
import { useSchools } from '../components/useSchools';
import { districtLocal, useClockDefault } from '../server-time';

/** A datetime-local value ("YYYY-MM-DDTHH:mm") read as district time, as the API wants it. */
export const districtIso = (local: string): string => `${local.length === 16 ? `${local}:00` : local}+08:00`;

interface ThresholdDraft {
  question: string;
  values: string;
  moreThan: string;
  minResponses: string;
}

type Parsed = { ok: true; form: SurveyForm } | { ok: false; error: string } | { ok: 'empty' };

function parseForm(text: string): Parsed {
  if (!text.trim()) return { ok: 'empty' };
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, error: 'must be a JSON object' };
    return { ok: true, form: v as SurveyForm };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

export function CampaignCreate(_props: { me: Me }) {
  const i18n = useI18n();
  const { t } = i18n;
  const schools = useSchools();
  const fileId = useId();
  const [title, setTitle] = useState('');
  const [classIds, setClassIds] = useState<string[]>([]);
  const [mode, setMode] = useState<'oneoff' | 'recurring'>('oneoff');
  // Defaults on the platform's clock: a wrong PC clock (or a pinned demo date) would open a round in the past.
  const [opensAt, setOpensAt] = useClockDefault(() => districtLocal(3600_000));
  const [closesAt, setClosesAt] = useClockDefault(() => districtLocal(8 * 24 * 3600_000));
  const [cron, setCron] = useState('0 8 1 * *');
  const [openForDays, setOpenForDays] = useState('7');
  const [thresholds, setThresholds] = useState<ThresholdDraft[]>([]);
  const [formText, setFormText] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string>();
  const [busy, setBusy] = useState(false);

  const parsed = useMemo(() => parseForm(formText), [formText]);

  function setThreshold(i: number, patch: Partial<ThresholdDraft>) {
    setThresholds((ts) => ts.map((x, n) => (n === i ? { ...x, ...patch } : x)));
  }

  async function loadFile(ev: ChangeEvent<HTMLInputElement>) {
    const f = ev.target.files?.[0];
    if (f) setFormText(await f.text());
  }

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    setMessage(undefined);
    const local: Record<string, string> = {};
    if (!title.trim()) local.title = t('errRequired');
    if (!classIds.length) local['audience.classIds'] = t('errChooseClass');
    if (parsed.ok === 'empty') local.form = t('errRequired');
    else if (parsed.ok === false) local.form = `${t('formJsonInvalid')}${parsed.error}`;
    if (mode === 'oneoff') {
      if (!opensAt) local['schedule.opensAt'] = t('errRequired');
      if (!closesAt) local['schedule.closesAt'] = t('errRequired');
    } else if (!cron.trim()) local['schedule.cron'] = t('errRequired');
    setErrors(local);
    if (Object.keys(local).length || parsed.ok !== true) {
      setMessage(t('fixErrors'));
      return;
    }
    const schedule: CampaignSchedule = mode === 'oneoff' ? { opensAt: districtIso(opensAt), closesAt: districtIso(closesAt) } : { cron: cron.trim(), openForDays: Number(openForDays) };
    const body: CampaignRequest = {
      title: title.trim(),
      form: parsed.form,
      audience: { classIds },
      schedule,
      thresholds: thresholds.map(
        (d): Threshold => ({
          question: d.question.trim(),
          values: d.values
            .split(/[,，]/)
            .map((v) => v.trim())
            .filter(Boolean),
          moreThan: Number(d.moreThan),
          ...(d.minResponses.trim() ? { minResponses: Number(d.minResponses) } : {}),
        }),
      ),
    };
    setBusy(true);
    try {
      const created = await api.createCampaign(body);
      navigate(`/official/campaigns/${created.campaignId}`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 400) {
        const fe: Record<string, string> = {};
        for (const d of e.details) {
          // Form issues go under the JSON textarea (all of them, with their paths); the rest beside their inputs.
          const key = d.field === 'form' || d.field.startsWith('form.') ? 'form' : d.field;
          fe[key] = fe[key] && key === 'form' ? `${fe[key]}; ${d.field}: ${d.message}` : (fe[key] ?? (key === 'form' ? `${d.field}: ${d.message}` : d.message));
        }
        setErrors(fe);
      }
      setMessage(errorMessage(e, i18n));
    } finally {
      setBusy(false);
    }
  }

  const err = (field: string): string | undefined => errors[field];
  // A union error on the schedule itself names no input: show it beside the first one.
  const scheduleErr = errors.schedule;

  return (
    <section aria-labelledby="create-title">
      <h1 id="create-title">{t('createTitle')}</h1>
      <form onSubmit={submit} noValidate className="campaign-form">
        <TextField name="title" label={t('campaignTitle')} required value={title} onChange={setTitle} maxLength={200} error={err('title')} />

        <fieldset className={`field${err('audience.classIds') || err('audience') ? ' has-error' : ''}`} data-field="audience.classIds">
          <legend>
            {t('audience')}
            <span className="req"> *</span>
          </legend>
          {schools.error ? <Alert kind="error">{t('networkError')}</Alert> : null}
          {!schools.data && !schools.error ? <p>{t('loading')}</p> : null}
          {schools.data?.map((s) => (
            <ChoiceGroup
              key={s.schoolId}
              legend={s.name}
              name="audience.classIds"
              type="checkbox"
              options={s.classes.map((c) => ({ value: c.classId, label: `${c.name}（${c.enrolled} ${t('enrolledShort')}）` }))}
              selected={classIds.filter((id) => s.classes.some((c) => c.classId === id))}
              onChange={(sel) => setClassIds((all) => [...all.filter((id) => !s.classes.some((c) => c.classId === id)), ...sel])}
            />
          ))}
          {err('audience.classIds') || err('audience') ? (
            <p className="field-error" role="alert">
              {err('audience.classIds') ?? err('audience')}
            </p>
          ) : null}
        </fieldset>

        <fieldset className="field">
          <legend>{t('scheduleLegend')}</legend>
          <ChoiceGroup
            legend={t('scheduleKind')}
            name="scheduleMode"
            type="radio"
            options={[
              { value: 'oneoff', label: t('scheduleOneOff') },
              { value: 'recurring', label: t('scheduleRecurring') },
            ]}
            selected={[mode]}
            onChange={(v) => setMode(v[0] === 'recurring' ? 'recurring' : 'oneoff')}
          />
          {mode === 'oneoff' ? (
            <>
              <TextField name="schedule.opensAt" type="datetime-local" label={t('opensAt')} required value={opensAt} onChange={setOpensAt} error={err('schedule.opensAt') ?? scheduleErr} />
              <TextField name="schedule.closesAt" type="datetime-local" label={t('closesAt')} required value={closesAt} onChange={setClosesAt} error={err('schedule.closesAt')} />
            </>
          ) : (
            <>
              <TextField name="schedule.cron" label={t('cron')} hint={t('cronHint')} required value={cron} onChange={setCron} maxLength={100} error={err('schedule.cron') ?? scheduleErr} />
              <TextField name="schedule.openForDays" type="number" label={t('openForDays')} required min={1} max={31} value={openForDays} onChange={setOpenForDays} error={err('schedule.openForDays')} />
            </>
          )}
        </fieldset>

        <fieldset className="field">
          <legend>{t('thresholdsLegend')}</legend>
          {thresholds.map((d, i) => (
            <div key={i} className="threshold card">
              <TextField name={`thresholds.${i}.question`} label={t('thresholdQuestion')} required value={d.question} onChange={(v) => setThreshold(i, { question: v })} error={err(`thresholds.${i}.question`)} />
              <TextField
                name={`thresholds.${i}.values`}
                label={t('thresholdValues')}
                required
                value={d.values}
                onChange={(v) => setThreshold(i, { values: v })}
                error={err(`thresholds.${i}.values`) ?? Object.entries(errors).find(([k]) => k.startsWith(`thresholds.${i}.values.`))?.[1]}
              />
              <TextField name={`thresholds.${i}.moreThan`} type="number" label={t('thresholdShare')} required value={d.moreThan} onChange={(v) => setThreshold(i, { moreThan: v })} error={err(`thresholds.${i}.moreThan`)} />
              <TextField
                name={`thresholds.${i}.minResponses`}
                type="number"
                label={t('thresholdMinResponses')}
                value={d.minResponses}
                onChange={(v) => setThreshold(i, { minResponses: v })}
                error={err(`thresholds.${i}.minResponses`)}
              />
              <button type="button" className="link" onClick={() => setThresholds((ts) => ts.filter((_, n) => n !== i))}>
                {t('remove')}
              </button>
            </div>
          ))}
          <button type="button" onClick={() => setThresholds((ts) => [...ts, { question: '', values: '', moreThan: '0.2', minResponses: '5' }])}>
            {t('addThreshold')}
          </button>
        </fieldset>

        <TextArea name="form" label={t('formJson')} hint={t('formJsonHint')} required value={formText} onChange={setFormText} rows={10} error={err('form')} />
        <div className="field">
          <label htmlFor={fileId}>{t('formFile')}</label>
          <input id={fileId} type="file" name="formFile" accept="application/json,.json" onChange={(e) => void loadFile(e)} />
        </div>

        {message ? <Alert kind="error">{message}</Alert> : null}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('submitting') : t('createCampaign')}
        </button>
      </form>

      <section aria-labelledby="preview-title" className="card preview" data-testid="form-preview">
        <h2 id="preview-title">{t('preview')}</h2>
        {parsed.ok === true ? <Preview form={parsed.form} /> : parsed.ok === false ? <Alert kind="error">{`${t('formJsonInvalid')}${parsed.error}`}</Alert> : <p>{t('previewEmpty')}</p>}
      </section>
    </section>
  );
}

function Preview({ form }: { form: SurveyForm }) {
  const { lang } = useI18n();
  const model = useMemo(() => {
    const m = new Model(form);
    m.showCompletedPage = false;
    return m;
  }, [form]);
  useEffect(() => {
    model.locale = lang === 'zh' ? 'zh-cn' : 'en';
  }, [model, lang]);
  return <Survey model={model} />;
}
