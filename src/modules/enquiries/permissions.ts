/** The enquiries module's permissions, named once. */
export const ENQUIRY_PERMISSIONS = {
  read: 'enquiries.enquiry.read',
  write: 'enquiries.enquiry.write',
} as const;

export const READ = { access: { permission: ENQUIRY_PERMISSIONS.read } } as const;
export const WRITE = { access: { permission: ENQUIRY_PERMISSIONS.write } } as const;
/** The public forms: anyone, at the strict rate of credential checks (one address cannot flood the pipeline). */
export const PUBLIC_FORM = { access: 'public', rateClass: 'auth' } as const;
