/**
 * A printable sheet of QR codes: one card per code with the code in plain text beside its QR (a parent who
 * cannot scan types it), laid out for A4. Survey links per class use it; the enrolment codes of later lines
 * of work take the same component. The QR is drawn from the `qrcode` library's module matrix as one SVG
 * path, so nothing is injected as HTML.
 */
import { useMemo, useRef } from 'react';
import QRCode from 'qrcode';
import { useI18n } from '../i18n';

export function QrCode({ text, label, size = 132 }: { text: string; label: string; size?: number }) {
  const { d, n } = useMemo(() => {
    const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
    const path: string[] = [];
    for (let y = 0; y < modules.size; y++) for (let x = 0; x < modules.size; x++) if (modules.get(y, x)) path.push(`M${x + 4} ${y + 4}h1v1h-1z`);
    return { d: path.join(''), n: modules.size + 8 }; // a quiet zone of 4 modules all round, as scanners need
  }, [text]);
  return (
    <svg className="qr" role="img" aria-label={label} width={size} height={size} viewBox={`0 0 ${n} ${n}`} shapeRendering="crispEdges" data-qr-text={text}>
      <rect width={n} height={n} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}

export interface SheetItem {
  code: string;
  url: string;
}

/** `id` names the sheet for the print button: only that sheet prints. */
export function PrintSheet({ id, title, subtitle, instructions, items }: { id: string; title: string; subtitle: string; instructions: string; items: SheetItem[] }) {
  const { t } = useI18n();
  const sheet = useRef<HTMLDivElement>(null);
  function print() {
    document.body.dataset.printSheet = id;
    sheet.current?.classList.add('printing');
    const done = () => {
      delete document.body.dataset.printSheet;
      sheet.current?.classList.remove('printing');
      window.removeEventListener('afterprint', done);
    };
    window.addEventListener('afterprint', done);
    window.print();
  }
  return (
    <div ref={sheet} className="print-sheet" data-sheet={id} data-testid="print-sheet">
      <button type="button" className="no-print" onClick={print}>
        {t('printSheet')}
      </button>
      <header className="sheet-head">
        <h3>{title}</h3>
        <p>{subtitle}</p>
        <p>{instructions}</p>
      </header>
      <ul className="qr-cards">
        {items.map((item, i) => (
          <li key={item.code} className="qr-card" data-testid="qr-card">
            <QrCode text={item.url} label={`${t('qrOf')} ${i + 1}: ${item.code}`} />
            <span className="qr-no">{i + 1}</span>
            <span className="mono qr-code">{item.code}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
