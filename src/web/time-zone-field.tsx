import { timeZoneNames } from '../kernel/time/index.ts';
import { SelectField } from './form.tsx';

const options = timeZoneNames().map((name) => ({ value: name, label: name.replaceAll('_', ' ') }));

/** A select of every IANA time zone (UTC first): the business's, a location's. */
export function TimeZoneField({ name, label, value, error }: { name: string; label: string; value: string; error?: string | undefined }) {
  return <SelectField name={name} label={label} value={value} options={options} error={error} />;
}
