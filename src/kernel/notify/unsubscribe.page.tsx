import { CsrfField, ErrorAlert, Layout, Notice, type Chrome } from '../../web/index.ts';

export interface UnsubscribePageProps {
  chrome: Chrome;
  /** The link's token, posted back by the confirm button. */
  token: string;
  state: { kind: 'confirm'; recipient: string; sender: string } | { kind: 'done'; recipient: string; sender: string } | { kind: 'invalid' };
}

/** Opening an unsubscribe link: confirm with one button (a GET never unsubscribes: mail scanners open links). */
export function UnsubscribePage({ chrome, token, state }: UnsubscribePageProps) {
  return (
    <Layout title="Unsubscribe">
      <h1>Unsubscribe</h1>
      {state.kind === 'invalid' && <ErrorAlert text="This unsubscribe link is not valid. Use the link from the latest email you received." />}
      {state.kind === 'done' && <Notice text={`${state.recipient} will get no more email from ${state.sender}.`} />}
      {state.kind === 'confirm' && (
        <form method="post" action={`/notify/unsubscribe?token=${encodeURIComponent(token)}`}>
          <p>
            Stop email from {state.sender} to {state.recipient}?
          </p>
          <CsrfField token={chrome.csrfToken} />
          <button class="button" type="submit">
            Unsubscribe
          </button>
        </form>
      )}
    </Layout>
  );
}
