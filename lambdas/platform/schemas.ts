/** Shapes shared by every route: the error envelope and health. */
import * as z from 'zod';
import { schema } from './schema';

export const ApiError = /* @__PURE__ */ schema(() => z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    }),
  })
  .meta({ id: 'ApiError' }));
export type ApiError = z.infer<typeof ApiError>;

export const Health = /* @__PURE__ */ schema(() => z
  .object({
    status: z.literal('ok'),
    /** The platform's time (the web console takes "today" from it, not from the browser's clock). */
    now: z.string(),
    /** What an operator must see to: e.g. a year with no working-day calendar. */
    warnings: z.array(z.object({ code: z.string(), message: z.string(), year: z.number().int().optional() })),
    local: z.object({ dynamodbEndpoint: z.string(), sfnEndpoint: z.string(), dataDir: z.string() }).optional(),
  })
  .meta({ id: 'Health' }));

export const IdempotencyKeyHeader = /* @__PURE__ */ schema(() => z.object({
  'idempotency-key': z.string().min(8, 'must be at least 8 characters').max(128, 'must be at most 128 characters').optional(),
}));
