import { CsrfField } from './layout.tsx';

interface Props {
  action: string;
  csrfToken: string;
  label: string;
  /** A quieter button for actions next to the page's main one. */
  secondary?: boolean;
  /** Fixed fields the action needs (e.g. the status to set). */
  fields?: Record<string, string>;
}

/** A one-button form that posts to `action`: how pages offer an action without JavaScript. */
export function PostButton({ action, csrfToken, label, secondary, fields }: Props) {
  return (
    <form method="post" action={action}>
      <CsrfField token={csrfToken} />
      {Object.entries(fields ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button class={secondary ? 'button secondary' : 'button'} type="submit">
        {label}
      </button>
    </form>
  );
}
