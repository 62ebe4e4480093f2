import { AppError } from '../../kernel/errors.ts';
import { STATUS_LABELS, type TicketStatus } from './domain/ticket.ts';

/** Support's error catalogue: each reason maps onto an envelope code. */
export const supportErrors = {
  /** Also what another tenant's ticket, or a staff-only thing asked for by a tenant, looks like. */
  ticketNotFound: () => new AppError('NOT_FOUND', 'Ticket was not found.', { reason: 'SUPPORT_TICKET_NOT_FOUND' }),
  attachmentNotFound: () => new AppError('NOT_FOUND', 'Attachment was not found.', { reason: 'SUPPORT_ATTACHMENT_NOT_FOUND' }),
  /** Outside the platform tenant the staff console does not exist. */
  consoleNotFound: () => new AppError('NOT_FOUND', 'Page was not found.', { reason: 'SUPPORT_CONSOLE_NOT_FOUND' }),
  transitionRefused: (from: TicketStatus, to: TicketStatus) =>
    new AppError('CONFLICT', `A ticket that is ${STATUS_LABELS[from].toLowerCase()} cannot become ${STATUS_LABELS[to].toLowerCase()}.`, {
      reason: 'SUPPORT_STATUS_TRANSITION',
      from,
      to,
    }),
  repliesClosed: (status: TicketStatus) =>
    new AppError('CONFLICT', status === 'closed' ? 'This ticket is closed.' : 'This ticket is resolved; reopen it to reply.', { reason: 'SUPPORT_TICKET_FINISHED', status }),
  reopenExpired: (days: number) =>
    new AppError('CONFLICT', `A ticket can be reopened within ${days} days of its resolution; please open a new one.`, { reason: 'SUPPORT_REOPEN_EXPIRED' }),
  personRequired: () => new AppError('AUTHZ', 'Support tickets are written and answered by signed-in people.', { reason: 'SUPPORT_PERSON_REQUIRED' }),
  badChoice: (field: string) => new AppError('VALIDATION', 'Choose one of the offered values.', { reason: 'SUPPORT_BAD_CHOICE', field }),
  notStaff: () => new AppError('VALIDATION', 'Tickets can be assigned to platform staff only.', { reason: 'SUPPORT_ASSIGNEE_NOT_STAFF', field: 'assignee' }),
  tooManyFiles: (max: number) => new AppError('VALIDATION', `Attach at most ${max} files to one message.`, { reason: 'SUPPORT_TOO_MANY_FILES', field: 'files' }),
  fileTypeRefused: (fileName: string, contentType: string) =>
    new AppError('VALIDATION', `${fileName}: files of type ${contentType || 'unknown'} cannot be attached (images, PDF, plain text and CSV can).`, {
      reason: 'SUPPORT_FILE_TYPE',
      field: 'files',
    }),
  fileTooLarge: (fileName: string, maxBytes: number) =>
    new AppError('VALIDATION', `${fileName} is larger than ${Math.floor(maxBytes / 1024)} KiB.`, { reason: 'SUPPORT_FILE_TOO_LARGE', field: 'files' }),
  fileEmpty: (fileName: string) => new AppError('VALIDATION', `${fileName} is empty.`, { reason: 'SUPPORT_FILE_EMPTY', field: 'files' }),
  badUpload: (message: string) => new AppError('VALIDATION', message, { reason: 'SUPPORT_BAD_UPLOAD', field: 'files' }),
  checksumMismatch: () => new AppError('INTERNAL', 'The stored file does not match its checksum.', { reason: 'SUPPORT_ATTACHMENT_CORRUPT' }),
};
