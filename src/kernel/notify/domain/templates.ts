import type { z } from 'zod';

/** HTML whose interpolated values were escaped; only the `html` tag makes one. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => ESCAPES[char] as string);

/**
 * Tag for HTML bodies: every interpolated value is escaped unless it is already SafeHtml (a
 * nested `html` fragment); arrays are joined, null and undefined vanish.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  const piece = (value: unknown): string => {
    if (value instanceof SafeHtml) return value.value;
    if (Array.isArray(value)) return value.map(piece).join('');
    if (value === null || value === undefined || value === false) return '';
    return escapeHtml(String(value));
  };
  return new SafeHtml(strings.reduce((out, text, index) => out + text + (index < values.length ? piece(values[index]) : ''), ''));
}

/** What every render gets besides the data. */
export interface RenderExtras {
  /** The recipient's unsubscribe link (email only, when the worker is given the signing key and base URL). */
  unsubscribeUrl?: string;
}

export interface NotifyTemplate<D = unknown> {
  /** `module.name`, e.g. `parcels.arrived`: stored with each delivery and looked up when it is sent. */
  id: string;
  /** Checks the data when a message is queued, so a bad call fails in its own transaction. */
  data: z.ZodType<D>;
  // Method signatures, so a template of any data type fits the registry's NotifyTemplate<unknown>.
  email?: {
    subject(data: D, extras: RenderExtras): string;
    text(data: D, extras: RenderExtras): string;
    html(data: D, extras: RenderExtras): SafeHtml;
  };
  sms?: { text(data: D, extras: RenderExtras): string };
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}
export interface RenderedSms {
  text: string;
}

const TEMPLATE_ID = /^[a-z][a-z0-9]*(\.[a-z][a-z0-9_-]*)+$/;

/** A typed template; register it where its module starts so senders and the worker both know it. */
export function defineTemplate<D>(template: NotifyTemplate<D>): NotifyTemplate<D> {
  if (!TEMPLATE_ID.test(template.id)) throw new Error(`Template id "${template.id}" must look like module.name.`);
  if (!template.email && !template.sms) throw new Error(`Template ${template.id} has neither an email nor an SMS body.`);
  return template;
}

/** The templates the running app knows, by id. Modules add theirs; a duplicate id is an error. */
export class TemplateRegistry {
  readonly #templates = new Map<string, NotifyTemplate<unknown>>();

  add(...templates: NotifyTemplate<unknown>[]): this {
    for (const template of templates) {
      const existing = this.#templates.get(template.id);
      if (existing && existing !== template) throw new Error(`Two notification templates share the id "${template.id}".`);
      this.#templates.set(template.id, template);
    }
    return this;
  }

  get(id: string): NotifyTemplate<unknown> | undefined {
    return this.#templates.get(id);
  }

  has(template: NotifyTemplate<unknown>): boolean {
    return this.#templates.get(template.id) === template;
  }
}

/** The app-wide registry: modules call `notifyTemplates.add(...)` next to their template definitions. */
export const notifyTemplates = new TemplateRegistry();

export function renderEmail<D>(template: NotifyTemplate<D>, data: D, extras: RenderExtras): RenderedEmail {
  if (!template.email) throw new Error(`Template ${template.id} has no email body.`);
  const footerText = extras.unsubscribeUrl ? `\n\n--\nUnsubscribe: ${extras.unsubscribeUrl}\n` : '';
  const footerHtml = extras.unsubscribeUrl ? html`<p style="font-size:small"><a href="${extras.unsubscribeUrl}">Unsubscribe</a></p>` : html``;
  return {
    // A subject is one header line: no line breaks from the data.
    subject: template.email.subject(data, extras).replace(/[\r\n]+/g, ' ').trim(),
    text: template.email.text(data, extras) + footerText,
    html: template.email.html(data, extras).value + footerHtml.value,
  };
}

export function renderSms<D>(template: NotifyTemplate<D>, data: D, extras: RenderExtras): RenderedSms {
  if (!template.sms) throw new Error(`Template ${template.id} has no SMS body.`);
  return { text: template.sms.text(data, extras) };
}
