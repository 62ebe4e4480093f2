/** Platform's public surface: the only file other modules and editions import. */
export { platformEvents } from './events.ts';
export { platformModule } from './manifest.ts';
export { submitSignup } from './signup.service.ts';
export { approveTenant, rejectTenant, suspendTenant, resumeTenant, closeTenant, setTenantModule, setTenantFlag, getTenantDetail, listTenantsForConsole } from './tenants.service.ts';
export { createPlan, updatePlan, listPlans, getPlan, assignPlan } from './plans.service.ts';
export { createAnnouncement, withdrawAnnouncement, listAnnouncements, bannersFor } from './announcements.service.ts';
export type { OfferedEdition, PlatformSetup, Plan, TenantSummary, TenantDetail, Announcement } from './domain/types.ts';
export type { SignupInput, PlanInput, AnnouncementInput } from './domain/inputs.ts';
export { BILLING_STATE_EVENTS } from './billing-state.job.ts';
