/** A search field that filters a table as one types (case-insensitive, any part of any shown column). */
import { useI18n } from '../../i18n';
import { TextField } from '../../components/fields';

export const matches = (needle: string, haystack: Array<string | undefined>): boolean => {
  const n = needle.trim().toLowerCase();
  return !n || haystack.some((h) => (h ?? '').toLowerCase().includes(n));
};

export function SearchBox({ value, onChange, label }: { value: string; onChange: (v: string) => void; label?: string }) {
  const { t } = useI18n();
  return (
    <div className="inline-form" role="search">
      <TextField name="search" label={label ?? t('search')} value={value} onChange={onChange} autoComplete="off" />
    </div>
  );
}
