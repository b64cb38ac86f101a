/** Evidence upload limits (images and PDF, at most 10 MB) and the upload request, without side effects. */
import * as z from 'zod';
import { schema } from './schema';

export const EVIDENCE_MAX_BYTES = 10 * 1024 * 1024;
export const EVIDENCE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const;
export type EvidenceType = (typeof EVIDENCE_TYPES)[number];

export const EvidenceUploadRequest = /* @__PURE__ */ schema(() => z.strictObject({
  fileName: z
    .string()
    .min(1, 'must not be empty')
    .max(200, 'must be at most 200 characters')
    .refine((name) => !/[/\\]/.test(name), 'must be a file name without path separators (/ or \\)')
    .refine((name) => name !== '.' && name !== '..', 'must be a file name, not . or ..')
    .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), 'must not contain control characters'),
  contentType: z.enum(EVIDENCE_TYPES, { error: `must be one of ${EVIDENCE_TYPES.join(', ')} (images or PDF)` }),
  size: z
    .number()
    .int('must be a whole number of bytes')
    .min(1, 'must be at least 1 byte')
    .max(EVIDENCE_MAX_BYTES, `must be at most ${EVIDENCE_MAX_BYTES} bytes (10 MB)`),
}));
export type EvidenceUploadRequest = z.infer<typeof EvidenceUploadRequest>;

