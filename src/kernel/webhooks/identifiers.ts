/**
 * The longest identifier Plinth keeps from a provider: event ids and types, payment, refund,
 * customer, subscription, price and invoice ids and numbers. Stripe's and Square's are well under
 * 100 characters; anything longer is hostile or broken and is refused before it is stored.
 */
export const MAX_PROVIDER_ID_LENGTH = 255;

/** A provider identifier fit to store: a non-empty string of at most MAX_PROVIDER_ID_LENGTH characters; else undefined. */
export const providerId = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 && value.length <= MAX_PROVIDER_ID_LENGTH ? value : undefined;
