import { counted, DataTable, ErrorAlert, Layout, Notice, PostButton, When, type Chrome } from '../../../web/index.ts';
import type { PendingSignIn } from '../credentials.service.ts';

export function SessionsPage({ pending, notice, error, chrome }: { pending: readonly PendingSignIn[]; notice?: string | undefined; error?: string | undefined; chrome: Chrome }) {
  return (
    <Layout title="Sign-ins awaiting approval">
      <h1>Sign-ins awaiting approval</h1>
      <Notice text={notice} />
      <ErrorAlert text={error} />
      <p class="muted">
        Members verify a sign-in with a code sent by email; approve one here when the email does not reach them, or when the member joined through an invite that asks for approval.
        Denying ends that sign-in at once. Every decision is recorded with your name and address.
      </p>
      <DataTable
        rows={pending}
        rowKey={(signIn) => signIn.id}
        caption={counted(pending.length, 'sign-in')}
        empty="No sign-in is waiting."
        columns={[
          { header: 'Member', cell: (signIn) => `${signIn.displayName} (@${signIn.username})` },
          { header: 'Signed in', cell: (signIn) => <When at={signIn.createdAt} /> },
          { header: 'From', cell: (signIn) => `${signIn.kind}, ${signIn.ip ?? 'unknown address'}` },
          { header: 'Device', cell: (signIn) => signIn.userAgent?.slice(0, 60) ?? '' },
          { header: 'Waiting for', cell: (signIn) => (signIn.awaitsApproval ? 'Approval as a new member' : signIn.codeSentAt ? 'Emailed code' : 'Code not asked for yet') },
          {
            header: 'Decide',
            cell: (signIn) => (
              <div class="actions">
                <PostButton action={`/admin/sessions/${signIn.id}/approve`} csrfToken={chrome.csrfToken} label="Approve" />
                <PostButton action={`/admin/sessions/${signIn.id}/deny`} csrfToken={chrome.csrfToken} label="Deny" secondary />
              </div>
            ),
          },
        ]}
      />
    </Layout>
  );
}
