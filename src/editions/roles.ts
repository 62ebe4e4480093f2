import type { RoleTemplate } from '../kernel/access/index.ts';

/**
 * The roles a shop-like business starts with. Wildcards cover modules an edition may not mount
 * (they then grant nothing); exact permissions must exist.
 */
export const STORE_ROLE_TEMPLATES: readonly RoleTemplate[] = [
  { key: 'owner', name: 'Owner', permissions: ['*'] },
  {
    key: 'manager',
    name: 'Manager',
    permissions: ['catalog.*', 'access.member.read', 'access.role.read', 'audit.log.read', 'audit.security.read', 'auth.terminal.*'],
  },
  { key: 'cashier', name: 'Cashier', permissions: ['catalog.product.read'] },
  { key: 'accountant', name: 'Accountant', permissions: ['catalog.product.read', 'catalog.product_cost.read', 'audit.log.read', 'audit.log.export'] },
  { key: 'auditor', name: 'Auditor', permissions: ['audit.*', 'catalog.product.read', 'catalog.product_cost.read', 'access.member.read', 'access.role.read'] },
];
