/** The citizen's complaint form: checked here first, then by the API, whose 400 details land on the same fields. */
import { useMemo, useState, type FormEvent } from 'react';
import { ApiError, api, CATEGORIES, newIdempotencyKey, type Category, type ComplaintRequest, type Receipt } from '../api';
import { useI18n, type MessageKey } from '../i18n';
import { Alert, CheckboxField, SelectField, TextArea, TextField } from '../components/fields';
import { errorMessage } from '../components/errors';

interface FormState {
  category: '' | Category;
  description: string;
  institutionName: string;
  address: string;
  schoolName: string;
  teacherName: string;
  occurredOn: string;
  anonymous: boolean;
  contactName: string;
  phone: string;
}

const EMPTY: FormState = { category: '', description: '', institutionName: '', address: '', schoolName: '', teacherName: '', occurredOn: '', anonymous: false, contactName: '', phone: '' };

/** The API's field path for each form field. */
const FIELD_PATH: Record<keyof FormState, string> = {
  category: 'category',
  description: 'description',
  institutionName: 'subject.institutionName',
  address: 'subject.address',
  schoolName: 'subject.schoolName',
  teacherName: 'subject.teacherName',
  occurredOn: 'occurredOn',
  anonymous: 'anonymous',
  contactName: 'contact.name',
  phone: 'contact.phone',
};

type Errors = Partial<Record<string, string>>;

function toRequest(f: FormState): ComplaintRequest {
  const trimmed = (s: string) => s.trim() || undefined;
  const subject = {
    institutionName: trimmed(f.institutionName),
    address: trimmed(f.address),
    schoolName: trimmed(f.schoolName),
    teacherName: trimmed(f.teacherName),
  };
  const contact = f.anonymous ? undefined : { name: trimmed(f.contactName), phone: trimmed(f.phone) };
  return {
    category: f.category as Category,
    description: f.description.trim(),
    subject: Object.fromEntries(Object.entries(subject).filter(([, v]) => v !== undefined)),
    ...(f.occurredOn ? { occurredOn: f.occurredOn } : {}),
    ...(contact && (contact.name || contact.phone) ? { contact: Object.fromEntries(Object.entries(contact).filter(([, v]) => v !== undefined)) } : {}),
    ...(f.anonymous ? { anonymous: true } : {}),
  };
}

function validate(f: FormState, t: (k: MessageKey) => string): Errors {
  const e: Errors = {};
  if (!f.category) e.category = t('errCategory');
  const len = f.description.trim().length;
  if (len < 10) e.description = t('errDescriptionShort');
  else if (len > 2000) e.description = t('errDescriptionLong');
  if (!f.anonymous && f.phone.trim() && !/^1[3-9]\d{9}$/.test(f.phone.trim())) e['contact.phone'] = t('errPhone');
  return e;
}


export function ComplaintForm({ onFiled }: { onFiled: (r: Receipt) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [form, setForm] = useState<FormState>(EMPTY);
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const body = useMemo(() => toRequest(form), [form]);
  // One Idempotency-Key per body: a double click or a retry after a lost answer files once.
  const idempotencyKey = useMemo(() => newIdempotencyKey(), [JSON.stringify(body)]); // eslint-disable-line react-hooks/exhaustive-deps

  const set = <K extends keyof FormState>(key: K) => (value: FormState[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setErrors((e) => ({ ...e, [FIELD_PATH[key]]: undefined }));
  };
  const err = (key: keyof FormState) => errors[FIELD_PATH[key]];

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    setFormError(undefined);
    const local = validate(form, t);
    setErrors(local);
    if (Object.keys(local).length > 0) {
      setFormError(t('fixErrors'));
      focusFirstError();
      return;
    }
    setBusy(true);
    try {
      const receipt = await api.fileComplaint(body, idempotencyKey);
      setForm(EMPTY);
      onFiled(receipt);
    } catch (e) {
      if (e instanceof ApiError && e.status === 400 && e.details.length > 0) {
        const fieldErrors = e.fieldErrors();
        const known = new Set(Object.values(FIELD_PATH));
        setErrors(fieldErrors);
        const unplaced = e.details.filter((d) => !known.has(d.field) && d.field !== 'subject' && d.field !== 'contact');
        setFormError([t('fixErrors'), ...unplaced.map((d) => `${d.field}: ${d.message}`), fieldErrors.subject, fieldErrors.contact].filter(Boolean).join(' '));
        focusFirstError();
      } else setFormError(errorMessage(e, i18n));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="complaint-title">
      <h1 id="complaint-title">{t('complaintTitle')}</h1>
      <p>{t('complaintIntro')}</p>
      <form onSubmit={submit} noValidate>
        {formError ? <Alert kind="error">{formError}</Alert> : null}
        <SelectField
          name="category"
          label={t('category')}
          required
          value={form.category}
          onChange={(v) => set('category')(v as Category | '')}
          placeholder={t('chooseCategory')}
          options={CATEGORIES.map((c) => ({ value: c, label: i18n.tv('cat_', c) }))}
          error={err('category')}
        />
        <TextArea name="description" label={t('description')} required hint={t('descriptionHint')} value={form.description} onChange={set('description')} maxLength={2000} rows={5} error={err('description')} />
        <fieldset>
          <legend>{t('subjectLegend')}</legend>
          <TextField name="subject.institutionName" label={t('institutionName')} value={form.institutionName} onChange={set('institutionName')} maxLength={200} error={err('institutionName')} />
          <TextField name="subject.address" label={t('address')} value={form.address} onChange={set('address')} maxLength={300} error={err('address')} />
          <TextField name="subject.schoolName" label={t('schoolName')} value={form.schoolName} onChange={set('schoolName')} maxLength={200} error={err('schoolName')} />
          <TextField name="subject.teacherName" label={t('teacherName')} value={form.teacherName} onChange={set('teacherName')} maxLength={50} error={err('teacherName')} />
        </fieldset>
        <TextField name="occurredOn" type="date" label={t('occurredOn')} value={form.occurredOn} onChange={set('occurredOn')} error={err('occurredOn')} />
        <fieldset>
          <legend>{t('contactLegend')}</legend>
          <CheckboxField name="anonymous" label={t('anonymous')} checked={form.anonymous} onChange={set('anonymous')} />
          <TextField name="contact.name" label={t('contactName')} value={form.contactName} onChange={set('contactName')} maxLength={50} disabled={form.anonymous} autoComplete="name" error={err('contactName')} />
          <TextField name="contact.phone" type="tel" inputMode="tel" label={t('phone')} hint={t('phoneHint')} value={form.phone} onChange={set('phone')} maxLength={11} disabled={form.anonymous} autoComplete="tel" error={err('phone')} />
        </fieldset>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('submitting') : t('submit')}
        </button>
      </form>
    </section>
  );
}

function focusFirstError() {
  requestAnimationFrame(() => {
    const el = document.querySelector<HTMLElement>('[aria-invalid="true"]');
    el?.focus();
  });
}
