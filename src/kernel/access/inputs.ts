import { z } from 'zod';
import { text } from '../text/index.ts';

/** What role keys, names and permission lists look like, for the API and the pages alike. */
export const roleKey = z.string().trim().regex(/^[a-z][a-z0-9_]{1,47}$/, { error: 'must be 2–48 lower-case letters, digits or _' });
export const roleName = text(80).min(1, { error: 'is required' });
export const permissionList = z.array(z.string().trim().min(1).max(120)).max(500);
/** A member holds at most this many roles. */
export const memberRoleKeys = z.array(roleKey).max(20);
