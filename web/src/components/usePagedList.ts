/** A list the API answers a page at a time (items + cursor): the first page, then "more" appended. */
import { useState } from 'react';
import type { I18n } from '../i18n';
import { errorMessage } from './errors';

export function usePagedList<Q, T>(fetchPage: (query: Q & { cursor?: string }) => Promise<{ items: T[]; cursor?: string }>, i18n: Pick<I18n, 't'>) {
  const [items, setItems] = useState<T[]>();
  const [cursor, setCursor] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  /** Loads a page: the first of `query` (append = false), or the next one after the list shown. */
  async function load(query: Q & { cursor?: string }, append: boolean) {
    setBusy(true);
    setError(undefined);
    try {
      const page = await fetchPage(query);
      setItems((old) => (append ? [...(old ?? []), ...page.items] : page.items));
      setCursor(page.cursor);
    } catch (e) {
      if (!append) setItems(undefined);
      setError(errorMessage(e, i18n));
    } finally {
      setBusy(false);
    }
  }

  return { items, cursor, error, busy, load };
}
