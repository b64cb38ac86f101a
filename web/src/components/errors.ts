import { ApiError } from '../api';
import type { I18n } from '../i18n';

/** A user-facing message for a failed call: the status's own words, and the API's message when it says more. */
export function errorMessage(err: unknown, { t }: Pick<I18n, 't'>): string {
  if (!(err instanceof ApiError)) return t('networkError');
  switch (err.status) {
    case 0:
      return t('networkError');
    case 401:
      return t('unauthorized');
    case 403:
      return `${t('forbidden')} (${err.message})`;
    case 404:
      return t('notFound');
    case 409:
      return `${t('conflict')} (${err.message})`;
    case 400:
      return `${t('fixErrors')} ${err.details.map((d) => `${d.field}: ${d.message}`).join('; ')}`;
    default:
      return err.message;
  }
}

/** A 400's details by field (`unit`, `aliases.0` …), the first message of each: forms show them beside their controls. */
export const fieldErrorsOf = (err: unknown): Record<string, string> => (err instanceof ApiError && err.status === 400 ? err.fieldErrors() : {});
