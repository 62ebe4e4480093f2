/** Locations' public surface: the only file other modules and editions import. */
export { locationsModule } from './manifest.ts';
export { assertActiveLocation, createLocation, getLocation, listLocations, locationsById, LOCATIONS_LIMIT } from './location.service.ts';
export type { Location, LocationInput } from './domain/location.ts';
