/**
 * A table of records: one column spec per column (header and cell), the actions column last with a
 * header screen readers read, a "nothing found" line under an empty table, and an optional row shown
 * under a record (a school's classes, say). `data-*` attributes name the rows for tests and styles.
 */
import { Fragment, type ReactNode } from 'react';
import { useI18n } from '../i18n';

export interface Column<T> {
  label: string;
  cell: (row: T) => ReactNode;
  className?: string;
}

export function DataTable<T>(props: {
  testId?: string;
  caption?: string;
  columns: Array<Column<T>>;
  rows: T[];
  rowKey: (row: T) => string;
  /** Attributes of a row's <tr>, e.g. {'data-username': …}. */
  rowAttributes?: (row: T) => Record<string, string>;
  actions?: (row: T) => ReactNode;
  /** A row shown under the record's row, spanning every column (or nothing). */
  below?: (row: T) => ReactNode;
  /** Said under an empty table; none for a table that may stay empty silently. */
  empty?: string;
}) {
  const { t } = useI18n();
  const span = props.columns.length + (props.actions ? 1 : 0);
  return (
    <div className="table-wrap">
      <table data-testid={props.testId}>
        {props.caption ? <caption>{props.caption}</caption> : null}
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th scope="col" key={c.label}>
                {c.label}
              </th>
            ))}
            {props.actions ? (
              <th scope="col">
                <span className="sr-only">{t('actions')}</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => {
            const below = props.below?.(row);
            return (
              <Fragment key={props.rowKey(row)}>
                <tr {...props.rowAttributes?.(row)}>
                  {props.columns.map((c) => (
                    <td key={c.label} className={c.className}>
                      {c.cell(row)}
                    </td>
                  ))}
                  {props.actions ? <td className="row-actions">{props.actions(row)}</td> : null}
                </tr>
                {below ? (
                  <tr className="nested">
                    <td colSpan={span}>{below}</td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
      {props.rows.length === 0 && props.empty ? <p>{props.empty}</p> : null}
    </div>
  );
}
