import type { InputHTMLAttributes } from 'preact';

// Preact types <input> as a union keyed by `type`; a prop-driven type needs the plain attribute set.
type InputAttributes = InputHTMLAttributes<HTMLInputElement>;

export type FieldErrors = Partial<Record<string, string>>;

interface TextFieldProps {
  name: string;
  label: string;
  value?: string | undefined;
  error?: string | undefined;
  hint?: string;
  type?: 'text' | 'search' | 'email' | 'password' | 'date' | 'tel';
  /** e.g. `new-password`, so password managers offer to generate one. */
  autoComplete?: string;
  required?: boolean;
  maxLength?: number;
  inputMode?: 'decimal' | 'numeric' | 'text';
  autoFocus?: boolean;
}

/** A labelled input whose error sits next to it and is announced with it (aria-describedby). */
export function TextField({ name, label, value, error, hint, type = 'text', autoComplete, required, maxLength, inputMode, autoFocus }: TextFieldProps) {
  const id = `field-${name}`;
  const described = [hint ? `${id}-hint` : undefined, error ? `${id}-error` : undefined].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input {...({ id, name, type, value: value ?? '', autoComplete, required, maxLength, inputMode, autoFocus } as InputAttributes)} aria-invalid={error ? 'true' : undefined} aria-describedby={described || undefined} />
      {hint && (
        <span class="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {error && (
        <span class="error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}

interface SelectFieldProps {
  name: string;
  label: string;
  value?: string | undefined;
  options: readonly { value: string; label: string }[];
  error?: string | undefined;
}

export function SelectField({ name, label, value, options, error }: SelectFieldProps) {
  const id = `field-${name}`;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} name={name} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${id}-error` : undefined}>
        {options.map((option) => (
          <option key={option.value} value={option.value} selected={option.value === value}>
            {option.label}
          </option>
        ))}
      </select>
      {error && (
        <span class="error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}

export function CheckboxField({ name, label, checked }: { name: string; label: string; checked: boolean }) {
  const id = `field-${name}`;
  return (
    <div class="field checkbox">
      <input type="hidden" name={name} value="false" />
      <input id={id} type="checkbox" name={name} value="true" checked={checked} />
      <label for={id}>{label}</label>
    </div>
  );
}

interface TextAreaProps {
  name: string;
  label: string;
  value?: string | undefined;
  error?: string | undefined;
  required?: boolean;
  maxLength?: number;
  rows?: number;
}

/** A labelled multi-line field, its error announced with it like TextField's. */
export function TextArea({ name, label, value, error, required, maxLength, rows = 5 }: TextAreaProps) {
  const id = `field-${name}`;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <textarea id={id} name={name} rows={rows} required={required} maxLength={maxLength} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${id}-error` : undefined}>
        {value ?? ''}
      </textarea>
      {error && (
        <span class="error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}
