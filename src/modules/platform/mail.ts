import { z } from 'zod';
import { defineTemplate, html, notifyTemplates } from '../../kernel/notify/index.ts';

const applicant = z.object({ ownerName: z.string().max(100), businessName: z.string().max(200) });

export const signupReceivedMail = defineTemplate({
  id: 'platform.signup_received',
  data: applicant,
  email: {
    subject: (data) => `We got your application for ${data.businessName}`,
    text: (data) =>
      `Hello ${data.ownerName},\n\nthank you for signing up ${data.businessName}. Our team reviews every new business; we will email you as soon as it is approved, and you can sign in from then on.\n`,
    html: (data) => html`<p>Hello ${data.ownerName},</p>
<p>thank you for signing up <strong>${data.businessName}</strong>. Our team reviews every new business; we will email you as soon as it is approved, and you can sign in from then on.</p>`,
  },
});

export const signupToReviewMail = defineTemplate({
  id: 'platform.signup_to_review',
  data: z.object({ businessName: z.string().max(200), slug: z.string().max(63), edition: z.string().max(40), ownerEmail: z.string().max(254) }),
  email: {
    subject: (data) => `New business to review: ${data.businessName}`,
    text: (data) => `${data.businessName} (${data.slug}, edition ${data.edition}) signed up; owner ${data.ownerEmail}. Approve or reject it in the console under Businesses.\n`,
    html: (data) => html`<p><strong>${data.businessName}</strong> (${data.slug}, edition ${data.edition}) signed up; owner ${data.ownerEmail}.</p>
<p>Approve or reject it in the console under Businesses.</p>`,
  },
});

export const signupApprovedMail = defineTemplate({
  id: 'platform.signup_approved',
  data: applicant,
  email: {
    subject: (data) => `${data.businessName} is approved`,
    text: (data) => `Hello ${data.ownerName},\n\n${data.businessName} is approved. Sign in with the email and password you chose to get started.\n`,
    html: (data) => html`<p>Hello ${data.ownerName},</p>
<p><strong>${data.businessName}</strong> is approved. Sign in with the email and password you chose to get started.</p>`,
  },
});

export const signupRejectedMail = defineTemplate({
  id: 'platform.signup_rejected',
  data: applicant.extend({ reason: z.string().max(1000) }),
  email: {
    subject: (data) => `Your application for ${data.businessName}`,
    text: (data) => `Hello ${data.ownerName},\n\nwe could not approve ${data.businessName}. The reason:\n\n${data.reason}\n\nReply to this email if you have questions.\n`,
    html: (data) => html`<p>Hello ${data.ownerName},</p>
<p>we could not approve <strong>${data.businessName}</strong>. The reason:</p>
<blockquote>${data.reason}</blockquote>
<p>Reply to this email if you have questions.</p>`,
  },
});

notifyTemplates.add(signupReceivedMail, signupToReviewMail, signupApprovedMail, signupRejectedMail);
