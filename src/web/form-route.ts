import type { FastifyContextConfig, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { z } from 'zod';
import { formTextIssues } from '../kernel/http/index.ts';
import type { AppInstance } from '../kernel/module/index.ts';
import { formFields, formList, formRejection, formText } from './form-body.ts';
import { textIssueMessage, type Parsed } from './form-messages.ts';
import type { FieldErrors } from './form.tsx';
import { sendPage } from './render.ts';

/** What a page shows of its form: the values as typed and the errors to show next to them. */
export interface FormState<Values> {
  values: Values;
  errors: FieldErrors;
  formError?: string | undefined;
}

/** The posted form's fields, read as text. */
export interface FormReader {
  /** A field's text as typed (its last value when repeated), '' when absent. */
  text(name: string): string;
  /** Every value of a field sent once per ticked box. */
  list(name: string): string[];
  /** Whether the form sent the field at all (a form that always sends it, tampered with, may not). */
  has(name: string): boolean;
  /** The names of the fields sent, for tables of inputs named `<prefix>.<id>`. */
  names(): string[];
}

type Request<Params> = FastifyRequest<{ Params: Params }>;

export interface FormRouteDefinition<Params, Values, Input> {
  /** Where the form posts. */
  path: string;
  /** The post's access policy (and rate class). */
  config: FastifyContextConfig;
  /** The largest body the post takes, when not the app's (a form with file uploads). */
  bodyLimit?: number;
  /** The path parameters of both routes. */
  params?: z.ZodType<Params>;
  /** The page showing the form empty or with the current record: its own path, access and first values. */
  show?: { path: string; config?: FastifyContextConfig; values: (request: Request<Params>) => Values | Promise<Values> };
  /** The form's fields as the page holds them: text as typed, so a refused form comes back as sent. */
  values: (form: FormReader, request: Request<Params>) => Values;
  /** The values as the use case's input, or errors keyed by field (see parseWith). */
  parse: (values: Values, request: Request<Params>) => Parsed<Input> | Promise<Parsed<Input>>;
  /** Runs the use case; answers the page to go to next (303 See Other). A refusal (AppError) shows on the form. */
  submit: (input: Input, request: Request<Params>, reply: FastifyReply) => Promise<string>;
  /** The page holding the form, with its values and errors. */
  render: (form: FormState<Values>, request: Request<Params>, reply: FastifyReply) => VNode | Promise<VNode>;
}

/** Text shown back in a form: what was typed, without what the page cannot hold (NUL, broken characters). */
const displayable = (text: string) => text.replaceAll('\u0000', '').toWellFormed();

function readerOf(body: unknown): FormReader {
  const fields = formFields(body);
  return {
    text: (name) => displayable(formText(fields[name])),
    list: (name) => formList(fields[name]).map(displayable),
    has: (name) => fields[name] !== undefined,
    names: () => Object.keys(fields),
  };
}

/** The edge's refusals of this form's text, next to the fields they concern (others above the form). */
function textErrors(request: FastifyRequest, values: object): FormState<unknown> | undefined {
  const issues = formTextIssues(request);
  if (issues.length === 0) return undefined;
  const errors: FieldErrors = {};
  let formError: string | undefined;
  for (const issue of issues) {
    const field = issue.path.split('.')[0] ?? '';
    if (field in values) errors[field] ??= textIssueMessage(issue);
    else formError ??= field === '(root)' ? textIssueMessage(issue) : 'Some of the text sent could not be accepted; check the form and send it again.';
  }
  return { values, errors, formError };
}

/**
 * A page form's routes as one declaration: the page showing it (optional) and its post, which
 * reads the fields → parses them (refused text, validation) → runs the use case → redirects; any
 * refusal on the way shows the form again with what was typed and the errors next to the fields
 * (422 for input, also when the use case refuses it; otherwise the refusal's own status: 409, 404, …).
 */
export function formRoute<Params = unknown, Values extends object = object, Input = unknown>(app: AppInstance, definition: FormRouteDefinition<Params, Values, Input>): void {
  const { path, config, params, show, render } = definition;
  const schema = { hide: true, ...(params ? { params } : {}) };
  const reply = async (request: Request<Params>, out: FastifyReply, form: FormState<Values>, status: number) => sendPage(out, await render(form, request, out), status);

  if (show) {
    app.get(show.path, { config: show.config ?? config, schema }, async (request, out) => {
      const typed = request as unknown as Request<Params>;
      return reply(typed, out, { values: await show.values(typed), errors: {} }, 200);
    });
  }

  const bodyLimit = definition.bodyLimit === undefined ? {} : { bodyLimit: definition.bodyLimit };
  app.post(path, { config: { ...config, formPage: true }, schema, ...bodyLimit }, async (request, out) => {
    const typed = request as unknown as Request<Params>;
    const values = definition.values(readerOf(request.body), typed);
    const refusedText = textErrors(request, values);
    if (refusedText) return reply(typed, out, { ...refusedText, values }, 422);
    const parsed = await definition.parse(values, typed);
    if (!('input' in parsed)) return reply(typed, out, { values, errors: parsed.errors, formError: parsed.formError }, 422);
    let next: string;
    try {
      next = await definition.submit(parsed.input, typed, out);
    } catch (error) {
      const { status, ...rejection } = formRejection(error);
      // Input the use case refused is corrected on the form, like input refused before it.
      return reply(typed, out, { values, ...rejection }, status === 400 ? 422 : status);
    }
    return out.redirect(next, 303);
  });
}

/**
 * A button's post (archive, send, cancel): no fields, only the use case; its refusal shows on the
 * page the button sits on (render), with the refusal's status.
 */
export function actionRoute<Params = unknown>(
  app: AppInstance,
  definition: Pick<FormRouteDefinition<Params, object, undefined>, 'path' | 'config' | 'params' | 'submit' | 'render'>,
): void {
  formRoute<Params, object, undefined>(app, { ...definition, values: () => ({}), parse: () => ({ input: undefined }) });
}

/** A form's errors as one sentence, for pages that show a refusal above a table of inputs rather than next to fields. */
export const firstError = ({ errors, formError }: Pick<FormState<unknown>, 'errors' | 'formError'>): string | undefined => formError ?? Object.values(errors).find((message) => message !== undefined);

/** The notice a page shows after a redirect (`?notice=`), cut to a sensible length. */
export const noticeOf = (request: FastifyRequest): string | undefined => {
  const { notice } = (request.query ?? {}) as Record<string, unknown>;
  return typeof notice === 'string' ? notice.slice(0, 200) : undefined;
};

/** A path with a notice for the page it leads to. */
export const withNotice = (path: string, text: string) => `${path}${path.includes('?') ? '&' : '?'}notice=${encodeURIComponent(text)}`;
