import { cafeEdition } from './cafe.ts';
import { kitchenEdition } from './kitchen.ts';
import { onpremEdition } from './onprem.ts';
import { retailEdition } from './retail.ts';

/**
 * Every edition this build can serve. mutualaid joins when its modules (community, federation)
 * exist: an edition with nothing to serve would only be a name.
 */
export const ALL_EDITIONS = [retailEdition, cafeEdition, kitchenEdition, onpremEdition] as const;
