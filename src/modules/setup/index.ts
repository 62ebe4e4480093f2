/** Setup's public surface: the only file other modules, editions and the CLI import. */
export { setupModule } from './manifest.ts';
export { setupEvents } from './events.ts';
export { createSetupGate, generateSetupCode, type SetupGate } from './setup-gate.ts';
export { needsSetup, runSetup, type SetupContext, type SetupResult } from './setup.service.ts';
export { installFoldersOf, type InstallFolders } from './folders.ts';
export { setupInput, type SetupInput } from './domain/setup-input.ts';
export { nextDocumentNumber } from './numbering.service.ts';
export { DOCUMENT_KINDS, type DocumentKind } from './setup.table.ts';
