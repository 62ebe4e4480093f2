import { CheckboxField, CsrfField, ErrorAlert, Layout, Notice, TextField, type Chrome, type FieldErrors } from '../../web/index.ts';

/** The form as typed: empty text means "the configured default". */
export interface SettingsFormValues {
  senderName: string;
  replyTo: string;
  quietStart: string;
  quietEnd: string;
  smsEnabled: boolean;
}

interface Props {
  values: SettingsFormValues;
  /** What applies where the tenant sets nothing (NOTIFY_FROM, NOTIFY_QUIET_HOURS). */
  defaults: { from: string; quietHours: string };
  /** The business's time zone: that of recipients whose own is not known. */
  timeZone: string;
  canWrite: boolean;
  errors: FieldErrors;
  formError?: string | undefined;
  notice?: string | undefined;
  chrome: Chrome;
}

/** The tenant's notification settings; people who may only read see the values without a form. */
export function NotifySettingsPage({ values, defaults, timeZone, canWrite, errors, formError, notice, chrome }: Props) {
  return (
    <Layout title="Notification settings">
      <h1>Notification settings</h1>
      <p>
        <a href="/notify/deliveries">Delivery log →</a>
      </p>
      <Notice text={notice} />
      {formError && <ErrorAlert text={formError} />}
      {canWrite ? (
        <form method="post" action="/settings/notifications">
          <CsrfField token={chrome.csrfToken} />
          <TextField name="senderName" label="Sender name" value={values.senderName} error={errors.senderName} maxLength={100} hint={`Shown as the sender of your email; empty: ${defaults.from}`} />
          <TextField name="replyTo" label="Reply-to email" type="email" value={values.replyTo} error={errors.replyTo} maxLength={254} hint="Where replies to your email go; empty: no reply-to." />
          <fieldset>
            <legend>Quiet hours</legend>
            <p class="hint">No SMS (and no email asking for it) is sent in these hours, local to the recipient; empty: {defaults.quietHours}.</p>
            <TextField name="quietStart" label="From (HH:MM)" value={values.quietStart} error={errors.quietStart} maxLength={5} />
            <TextField name="quietEnd" label="Until (HH:MM)" value={values.quietEnd} error={errors.quietEnd} maxLength={5} />
            <p class="hint">
              For recipients whose own time zone is not known, in the business's: {timeZone} (<a href="/settings/business">business settings</a>).
            </p>
          </fieldset>
          <CheckboxField name="smsEnabled" label="Send text messages (SMS)" checked={values.smsEnabled} />
          <button class="button" type="submit">
            Save
          </button>
        </form>
      ) : (
        <dl>
          <dt>Sender name</dt>
          <dd>{values.senderName || defaults.from}</dd>
          <dt>Reply-to email</dt>
          <dd>{values.replyTo || 'none'}</dd>
          <dt>Quiet hours</dt>
          <dd>{values.quietStart && values.quietEnd ? `${values.quietStart}-${values.quietEnd}` : defaults.quietHours}</dd>
          <dt>Time zone</dt>
          <dd>{timeZone}, the business's</dd>
          <dt>Text messages (SMS)</dt>
          <dd>{values.smsEnabled ? 'On' : 'Off'}</dd>
        </dl>
      )}
    </Layout>
  );
}
