import { z } from 'zod';
import { defineTemplate, html, notifyTemplates } from '../../kernel/notify/index.ts';

export const signInCodeMail = defineTemplate({
  id: 'community.sign_in_code',
  data: z.object({ name: z.string().max(100), code: z.string().regex(/^\d{6}$/), minutes: z.number().int().positive() }),
  email: {
    subject: (data) => `Your sign-in code: ${data.code}`,
    text: (data) =>
      `Hello ${data.name},\n\nyour code to finish signing in is ${data.code}. It works for ${data.minutes} minutes; a newer code replaces it.\nIf you did not try to sign in, ignore this email and tell an administrator.\n`,
    html: (data) => html`<p>Hello ${data.name},</p>
<p>your code to finish signing in is <strong>${data.code}</strong>. It works for ${data.minutes} minutes; a newer code replaces it.</p>
<p>If you did not try to sign in, ignore this email and tell an administrator.</p>`,
  },
});

notifyTemplates.add(signInCodeMail);
