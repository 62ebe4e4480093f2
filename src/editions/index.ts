import { cafeEdition } from './cafe.ts';
import { kitchenEdition } from './kitchen.ts';
import { mutualaidEdition } from './mutualaid.ts';
import { onpremEdition } from './onprem.ts';
import { retailEdition } from './retail.ts';

/** Every edition this build can serve. */
export const ALL_EDITIONS = [retailEdition, cafeEdition, kitchenEdition, onpremEdition, mutualaidEdition] as const;
