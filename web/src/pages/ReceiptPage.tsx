/** Shown once after filing: the receipt number and the access code, which the platform never shows again. */
import type { Receipt } from '../api';
import { useI18n } from '../i18n';
import { href } from '../router';

export function ReceiptPage({ receipt }: { receipt?: Receipt }) {
  const { t } = useI18n();
  if (!receipt)
    return (
      <section>
        <h1>{t('receiptTitle')}</h1>
        <p>{t('noReceipt')}</p>
        <a href={href('/')}>{t('fileAnother')}</a>
      </section>
    );
  return (
    <section aria-labelledby="receipt-title">
      <h1 id="receipt-title">{t('receiptTitle')}</h1>
      <p>{t('receiptIntro')}</p>
      <dl className="receipt">
        <dt>{t('receiptNo')}</dt>
        <dd data-testid="receipt-no" className="mono">
          {receipt.receiptNo}
        </dd>
        <dt>{t('accessCode')}</dt>
        <dd data-testid="access-code" className="mono">
          {receipt.accessCode}
        </dd>
      </dl>
      <p className="actions">
        <a className="button primary" href={href('/track', { receiptNo: receipt.receiptNo })}>
          {t('trackThis')}
        </a>
        <a className="button" href={href('/')}>
          {t('fileAnother')}
        </a>
      </p>
    </section>
  );
}
