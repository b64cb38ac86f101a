/** Labelled form controls: every input has a <label>, its hint and its error are tied to it with aria-describedby. */
import { useId, type ChangeEvent, type ReactNode } from 'react';
import { useI18n } from '../i18n';

interface Common {
  label: string;
  hint?: string;
  error?: string;
  required?: boolean;
  /** The API field path, used as the control's name (and data-field for tests). */
  name: string;
}

function Label({ id, label, required }: { id: string; label: string; required?: boolean }) {
  const { t } = useI18n();
  return (
    <label htmlFor={id}>
      {label}
      {required ? <span className="req"> *<span className="sr-only">{t('required')}</span></span> : null}
    </label>
  );
}

function Messages({ id, hint, error }: { id: string; hint?: string; error?: string }) {
  return (
    <>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : null}
    </>
  );
}

const describedBy = (id: string, hint?: string, error?: string): string | undefined =>
  [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

export function TextField(props: Common & { value: string; onChange: (v: string) => void; type?: 'text' | 'tel' | 'date' | 'datetime-local' | 'number' | 'password'; maxLength?: number; disabled?: boolean; autoComplete?: string; inputMode?: 'numeric' | 'tel' | 'text'; min?: number; max?: number }) {
  const id = useId();
  return (
    <div className={`field${props.error ? ' has-error' : ''}`}>
      <Label id={id} label={props.label} required={props.required} />
      <input
        id={id}
        name={props.name}
        data-field={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        maxLength={props.maxLength}
        disabled={props.disabled}
        autoComplete={props.autoComplete}
        inputMode={props.inputMode}
        min={props.min}
        max={props.max}
        required={props.required}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(id, props.hint, props.error)}
        onChange={(e: ChangeEvent<HTMLInputElement>) => props.onChange(e.target.value)}
      />
      <Messages id={id} hint={props.hint} error={props.error} />
    </div>
  );
}

export function TextArea(props: Common & { value: string; onChange: (v: string) => void; maxLength?: number; rows?: number }) {
  const id = useId();
  return (
    <div className={`field${props.error ? ' has-error' : ''}`}>
      <Label id={id} label={props.label} required={props.required} />
      <textarea
        id={id}
        name={props.name}
        data-field={props.name}
        value={props.value}
        rows={props.rows ?? 4}
        maxLength={props.maxLength}
        required={props.required}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(id, props.hint, props.error)}
        onChange={(e) => props.onChange(e.target.value)}
      />
      <Messages id={id} hint={props.hint} error={props.error} />
    </div>
  );
}

export interface Option {
  value: string;
  label: string;
}

export function SelectField(props: Common & { value: string; onChange: (v: string) => void; options: Option[]; placeholder?: string }) {
  const id = useId();
  return (
    <div className={`field${props.error ? ' has-error' : ''}`}>
      <Label id={id} label={props.label} required={props.required} />
      <select
        id={id}
        name={props.name}
        data-field={props.name}
        value={props.value}
        required={props.required}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(id, props.hint, props.error)}
        onChange={(e) => props.onChange(e.target.value)}
      >
        {props.placeholder !== undefined ? <option value="">{props.placeholder}</option> : null}
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Messages id={id} hint={props.hint} error={props.error} />
    </div>
  );
}

export function CheckboxField(props: { label: string; name: string; checked: boolean; onChange: (v: boolean) => void }) {
  const id = useId();
  return (
    <div className="field check">
      <input id={id} type="checkbox" name={props.name} data-field={props.name} checked={props.checked} onChange={(e) => props.onChange(e.target.checked)} />
      <label htmlFor={id}>{props.label}</label>
    </div>
  );
}

/** A group of checkboxes or radios inside a fieldset with a legend. */
export function ChoiceGroup(props: { legend: string; name: string; type: 'checkbox' | 'radio'; options: Option[]; selected: string[]; onChange: (values: string[]) => void; error?: string; required?: boolean }) {
  const id = useId();
  const toggle = (value: string, on: boolean) => {
    if (props.type === 'radio') props.onChange([value]);
    else props.onChange(on ? [...props.selected, value] : props.selected.filter((v) => v !== value));
  };
  return (
    <fieldset className={`field choices${props.error ? ' has-error' : ''}`} aria-describedby={props.error ? `${id}-error` : undefined}>
      <legend>
        {props.legend}
        {props.required ? <span className="req"> *</span> : null}
      </legend>
      {props.options.map((o) => (
        <div className="check" key={o.value}>
          <input
            id={`${id}-${o.value}`}
            type={props.type}
            name={`${props.name}-${id}`}
            data-field={props.name}
            value={o.value}
            checked={props.selected.includes(o.value)}
            onChange={(e) => toggle(o.value, e.target.checked)}
          />
          <label htmlFor={`${id}-${o.value}`}>{o.label}</label>
        </div>
      ))}
      <Messages id={id} error={props.error} />
    </fieldset>
  );
}

export function Alert({ kind, children }: { kind: 'error' | 'success' | 'info'; children: ReactNode }) {
  return (
    <div className={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}
