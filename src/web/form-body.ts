import { AppError } from '../kernel/errors.ts';
import type { FieldErrors } from './form.tsx';

/** A form body as fields; anything else (no body, JSON array) has none. */
export const formFields = (body: unknown): Record<string, unknown> => (body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {});

/** A form field may arrive once, repeated (checkbox + hidden fallback) or not at all: its last value, or ''. */
export const formText = (value: unknown): string => (Array.isArray(value) ? String(value.at(-1) ?? '') : typeof value === 'string' ? value : '');

/** Every value of a field a checkbox group sends once per ticked box; none ticked: []. */
export const formList = (value: unknown): string[] => [value ?? []].flat().filter((item): item is string => typeof item === 'string');

export interface FormRejection {
  /** The error's own status (409 for a CONFLICT, 404 for NOT_FOUND, …). */
  status: number;
  errors: FieldErrors;
  formError?: string;
}

/** A use-case rejection (duplicate key, last owner) shown on the form instead of as JSON; other errors are rethrown. */
export function formRejection(error: unknown): FormRejection {
  if (!(error instanceof AppError) || error.code === 'INTERNAL') throw error;
  const field = typeof error.details?.field === 'string' ? error.details.field : undefined;
  return field ? { status: error.status, errors: { [field]: error.message } } : { status: error.status, errors: {}, formError: error.message };
}
