/** The requests module's permissions, named once. */
export const REQUEST_PERMISSIONS = {
  read: 'requests.request.read',
  draft: 'requests.request.draft',
  write: 'requests.request.write',
  moderate: 'requests.request.moderate',
} as const;

export const READ = { access: { permission: REQUEST_PERMISSIONS.read } } as const;
export const DRAFT = { access: { permission: REQUEST_PERMISSIONS.draft } } as const;
export const WRITE = { access: { permission: REQUEST_PERMISSIONS.write } } as const;
export const MODERATE = { access: { permission: REQUEST_PERMISSIONS.moderate } } as const;

/** The channel open request pages listen on for new comments and status changes. */
export const ACTIVITY_CHANNEL = 'requests.activity';
