#!/usr/bin/env node
// Plinth runs its TypeScript sources through tsx's loader: one build for dev, CI and production.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/index.ts');
