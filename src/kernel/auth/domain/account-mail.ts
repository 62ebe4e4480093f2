import { z } from 'zod';
import type { Config } from '../../config/index.ts';
import { defineTemplate, html, notifyTemplates } from '../../notify/domain/templates.ts';

/**
 * The app's own address for links in mail: PUBLIC_URL, else where the server listens. Never the
 * request's Host header: a forged Host would otherwise put an attacker's site into a reset link
 * mailed to the victim. (Same rule as notify's unsubscribe links, whose helper notify does not export.)
 */
export const appBaseUrl = (config: Pick<Config, 'publicUrl' | 'host' | 'port'>): string => config.publicUrl ?? `http://${config.host}:${config.port}`;

export const appLink = (config: Pick<Config, 'publicUrl' | 'host' | 'port'>, path: string): string => new URL(path, appBaseUrl(config)).toString();

/** Only web links: a stored delivery's data must not be able to carry a javascript: or data: URL into the email. */
const webLink = z.url({ protocol: /^https?$/ });
const linkMail = z.object({ displayName: z.string().max(100), link: webLink, validForMinutes: z.number().int().positive() });

export const passwordResetMail = defineTemplate({
  id: 'auth.password_reset',
  data: linkMail,
  email: {
    subject: () => 'Reset your Plinth password',
    text: (data) =>
      `Hello ${data.displayName},\n\nsomeone (hopefully you) asked to reset the password of your Plinth account. Choose a new one here:\n\n${data.link}\n\n` +
      `The link works once, for ${data.validForMinutes} minutes. If you did not ask for it, ignore this email: your password stays as it is.\n`,
    html: (data) => html`<p>Hello ${data.displayName},</p>
<p>someone (hopefully you) asked to reset the password of your Plinth account.</p>
<p><a href="${data.link}">Choose a new password</a></p>
<p>The link works once, for ${data.validForMinutes} minutes. If you did not ask for it, ignore this email: your password stays as it is.</p>`,
  },
});

export const passwordChangedMail = defineTemplate({
  id: 'auth.password_changed',
  data: z.object({ displayName: z.string().max(100), resetLink: webLink }),
  email: {
    subject: () => 'Your Plinth password was changed',
    text: (data) =>
      `Hello ${data.displayName},\n\nthe password of your Plinth account was just changed through a reset link, and every device signed in to it was signed out.\n\n` +
      `If this was not you, reset your password at once: ${data.resetLink}\n`,
    html: (data) => html`<p>Hello ${data.displayName},</p>
<p>the password of your Plinth account was just changed through a reset link, and every device signed in to it was signed out.</p>
<p>If this was not you, <a href="${data.resetLink}">reset your password</a> at once.</p>`,
  },
});

export const verifyEmailMail = defineTemplate({
  id: 'auth.verify_email',
  data: linkMail,
  email: {
    subject: () => 'Confirm your email address for Plinth',
    text: (data) => `Hello ${data.displayName},\n\nconfirm that this is your address by opening:\n\n${data.link}\n\nThe link works once, for ${Math.round(data.validForMinutes / 60)} hours.\n`,
    html: (data) => html`<p>Hello ${data.displayName},</p>
<p><a href="${data.link}">Confirm that this is your address</a>.</p>
<p>The link works once, for ${Math.round(data.validForMinutes / 60)} hours.</p>`,
  },
});

notifyTemplates.add(passwordResetMail, passwordChangedMail, verifyEmailMail);
