import type { ComponentChildren } from 'preact';
import { Layout, type Chrome } from '../../../web/index.ts';

/** Console and sign-up pages share the app layout with this actor's chrome. */
export function Page({ title, chrome, children }: { title: string; chrome: Chrome; children: ComponentChildren }) {
  return (
    <Layout title={title} nav={chrome.nav} tenantName={chrome.tenantName} signedIn={chrome.signedIn} csrfToken={chrome.csrfToken}>
      {children}
    </Layout>
  );
}

/** A labelled multi-line field whose error is announced with it. */
export function TextArea({ name, label, value, error, required, maxLength }: { name: string; label: string; value?: string; error?: string | undefined; required?: boolean; maxLength?: number }) {
  const id = `field-${name}`;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <textarea id={id} name={name} rows={3} required={required} maxLength={maxLength} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${id}-error` : undefined}>
        {value ?? ''}
      </textarea>
      {error && (
        <span class="error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}
