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
    permissions: [
      'catalog.*',
      'locations.*',
      'inventory.*',
      'pos.*',
      'reports.*',
      'support.ticket.*',
      'enquiries.*',
      'access.member.read',
      'access.role.read',
      'audit.log.read',
      'audit.security.read',
      'auth.terminal.*',
    ],
  },
  { key: 'cashier', name: 'Cashier', permissions: ['catalog.product.read'] },
  { key: 'accountant', name: 'Accountant', permissions: ['catalog.product.read', 'catalog.product_cost.read', 'audit.log.read', 'audit.log.export', 'reports.*'] },
  { key: 'auditor', name: 'Auditor', permissions: ['audit.*', 'catalog.product.read', 'catalog.product_cost.read', 'access.member.read', 'access.role.read'] },
];

/** Adds exact permissions to some of the templates (for an edition that mounts the modules declaring them). */
function withPermissions(templates: readonly RoleTemplate[], added: Record<string, readonly string[]>): RoleTemplate[] {
  return templates.map((template) => ({ ...template, permissions: [...template.permissions, ...(added[template.key] ?? [])] }));
}

/** A shop with tills (retail): cashiers sell, open and close shifts, and see stock; restricted till actions stay with managers. */
export const TILL_ROLE_TEMPLATES: readonly RoleTemplate[] = withPermissions(STORE_ROLE_TEMPLATES, {
  cashier: ['pos.register.read', 'pos.sale.create', 'pos.sale.read', 'pos.shift.operate', 'inventory.stock.read'],
});

/**
 * An on-premises store: the owner template is its super admin (the kernel seats a business's first
 * person in `owner`); super admins and managers must use two-step sign-in.
 */
export const ONPREM_ROLE_TEMPLATES: readonly RoleTemplate[] = STORE_ROLE_TEMPLATES.map((template) =>
  template.key === 'owner' ? { ...template, name: 'Super admin', requireTwoStep: true } : template.key === 'manager' ? { ...template, requireTwoStep: true } : template,
);
