/** A definition list of labelled values (the detail sections' building block). */
export interface FieldItem {
  readonly label: string;
  readonly value: string;
  readonly testId?: string;
  /** Takes two columns (long values such as model names, so they break between words). */
  readonly wide?: boolean;
}

export function FieldList({ items }: { items: FieldItem[] }) {
  return (
    <dl className="fields">
      {items.map((f) => (
        <div className={f.wide ? 'field wide' : 'field'} key={f.label}>
          <dt>{f.label}</dt>
          <dd data-testid={f.testId}>{f.value}</dd>
        </div>
      ))}
    </dl>
  );
}
