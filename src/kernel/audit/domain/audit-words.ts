/** An audit entry told in words: `catalog.product.created` is "Product created", `pos.cash_movement` is "Cash movement". */

const words = (key: string) => key.replace(/[_.]+/g, ' ').trim();
const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** `module.resource.verb` → "Resource verb"; a shorter key is said as it is. */
export function actionWords(action: string): string {
  const parts = action.split('.');
  return capitalised(words(parts.length >= 3 ? parts.slice(1).join(' ') : action));
}

/** A record kind (`catalog.product`, `member`) → "Product", "Member". */
export function entityWords(targetType: string): string {
  return capitalised(words(targetType.includes('.') ? targetType.slice(targetType.indexOf('.') + 1) : targetType));
}

const NAMING_FIELDS = ['name', 'title', 'displayName', 'sku', 'code', 'email', 'subject', 'reference'] as const;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** What the entry's data calls the record it touched (its name, title, SKU, …, on the entry or one level down), if it says; never an id. */
export function subjectOf(data: Record<string, unknown>): string | undefined {
  for (const source of [data, ...Object.values(data).filter(isRecord)]) {
    for (const field of NAMING_FIELDS) {
      const value = source[field];
      // A changed field is recorded as { before, after }: the record is called what it is called now.
      const named = isRecord(value) ? value.after : value;
      if (typeof named === 'string' && named.trim() && !/[0-9a-f]{8}-[0-9a-f]{4}-/i.test(named)) return named.trim().slice(0, 120);
    }
  }
  return undefined;
}
