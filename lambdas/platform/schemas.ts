/** Shapes shared by every route: the error envelope and health. */
import { z } from 'zod';

export const ApiError = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    }),
  })
  .meta({ id: 'ApiError' });
export type ApiError = z.infer<typeof ApiError>;

export const Health = z
  .object({
    status: z.literal('ok'),
    local: z.object({ dynamodbEndpoint: z.string(), sfnEndpoint: z.string(), dataDir: z.string() }).optional(),
  })
  .meta({ id: 'Health' });

export const IdempotencyKeyHeader = z.object({
  'idempotency-key': z.string().min(8, 'must be at least 8 characters').max(128, 'must be at most 128 characters').optional(),
});
