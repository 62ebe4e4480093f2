import { CsrfField, Layout, Notice, TimeZoneField, When, type Chrome } from '../../web/index.ts';

interface Props {
  timeZone: string;
  canWrite: boolean;
  /** Why the chosen zone was refused. */
  error?: string | undefined;
  notice?: string | undefined;
  chrome: Chrome;
}

/** The business's settings; people who may only read see the zone without a form. */
export function BusinessSettingsPage({ timeZone, canWrite, error, notice, chrome }: Props) {
  return (
    <Layout title="Business settings">
      <h1>Business settings</h1>
      <Notice text={notice} />
      <p>
        The time zone of your business's clocks: the days of your reports, the quiet hours of your text messages and every time these pages show. It is now{' '}
        <When at={new Date()} />
        {canWrite ? '.' : <> in {timeZone}.</>}
      </p>
      {canWrite && (
        <form method="post" action="/settings/business">
          <CsrfField token={chrome.csrfToken} />
          <TimeZoneField name="timeZone" label="Time zone" value={timeZone} error={error} />
          <button class="button" type="submit">
            Save
          </button>
        </form>
      )}
    </Layout>
  );
}
