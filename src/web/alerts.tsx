/** What a change did, shown after its redirect; screen readers announce it politely. */
export function Notice({ text }: { text: string | undefined }) {
  return text ? (
    <p class="alert success" role="status">
      {text}
    </p>
  ) : null;
}

/** Why something was refused, or a form's summary of its errors; announced at once. */
export function ErrorAlert({ text }: { text: string | undefined }) {
  return text ? (
    <div class="alert error" role="alert">
      {text}
    </div>
  ) : null;
}
