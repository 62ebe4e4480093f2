export interface CheckboxOption {
  value: string;
  label: string;
  hint?: string | undefined;
}

interface CheckboxGroupProps {
  /** Sent once per ticked box (`name=a&name=b`); nothing when none is ticked. */
  name: string;
  legend: string;
  /** Makes the ids unique when a page holds several groups of the same name. */
  idPrefix: string;
  options: readonly CheckboxOption[];
  checked: readonly string[];
  error?: string | undefined;
}

/** A fieldset of checkboxes for choosing several values (roles, permissions). */
export function CheckboxGroup({ name, legend, idPrefix, options, checked, error }: CheckboxGroupProps) {
  const errorId = `${idPrefix}-error`;
  return (
    <fieldset class="checkbox-group" aria-describedby={error ? errorId : undefined}>
      <legend>{legend}</legend>
      {options.map((option) => {
        const id = `${idPrefix}-${option.value}`;
        return (
          <div class="field checkbox" key={option.value}>
            <input id={id} type="checkbox" name={name} value={option.value} checked={checked.includes(option.value)} aria-describedby={option.hint ? `${id}-hint` : undefined} />
            <label for={id}>{option.label}</label>
            {option.hint && (
              <span class="hint" id={`${id}-hint`}>
                {option.hint}
              </span>
            )}
          </div>
        );
      })}
      {error && (
        <span class="error" id={errorId}>
          {error}
        </span>
      )}
    </fieldset>
  );
}
