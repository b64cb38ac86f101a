/**
 * Stream consumer (complaints table, new images): sends each notification to the complainant as one SMS,
 * through the configured provider (lambdas/platform/sms.ts: SNS, or an HTTP SMS gateway).
 *
 * In AWS the event source mapping passes only INSERTs of `entity: notification` items (lib/constructs/
 * function.ts); the checks below still hold for anything else. A stream delivers at least once, so each
 * notification is claimed with a conditional write (`sentAt`) before it is published: a redelivered or
 * retried record finds the claim and sends no second SMS. A failed publish releases the claim and is
 * reported in batchItemFailures, so Lambda retries that record (and the records after it) only.
 *
 * The phone number and the message text are personal: they are never logged. The phone is stored
 * encrypted (lambdas/platform/contact-cipher.ts); this function's grant decrypts phones only, never names.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchItemFailure, DynamoDBRecord, DynamoDBStreamHandler } from 'aws-lambda';
import * as z from 'zod';
import { clock } from '../platform/clock';
import { tableNameFor } from '../platform/config';
import { documents } from '../platform/dynamodb';
import { logger } from '../platform/logger';
import { isUnreadableCiphertext, openContact } from '../platform/contact-cipher';
import { getSealedContact } from '../domain/complaints/contact-repository';
import { sendSms } from '../platform/sms';

const TABLE = tableNameFor('complaints');

const Notification = z.object({
  pk: z.string().startsWith('CASE#'),
  sk: z.string().startsWith('NOTIFICATION#'),
  entity: z.literal('notification'),
  notificationId: z.string().min(1),
  receiptNo: z.string().min(1),
  channel: z.string(),
  message: z.string().min(1),
});
type Notification = z.infer<typeof Notification>;

/** A mainland mobile number as the intake stores it (11 digits, no country code). */
const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;

/** no_phone and contact_unreadable are recorded on the notification as `skipped` and not retried. */
type Outcome = 'sent' | 'already_claimed' | 'no_phone' | 'contact_unreadable';
type Skipped = Extract<Outcome, 'no_phone' | 'contact_unreadable'>;

const isConditionalCheckFailed = (err: unknown): boolean => (err as { name?: string } | null)?.name === 'ConditionalCheckFailedException';

/** The notification in a stream record, or undefined for anything this function does not send. */
function notificationOf(record: DynamoDBRecord): Notification | undefined {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || !image) return undefined;
  // aws-lambda's AttributeValue and the SDK's describe the same wire format under two type names.
  const item = unmarshall(image as Record<string, AttributeValue>);
  if (item.entity !== 'notification') return undefined;
  const parsed = Notification.safeParse(item);
  if (!parsed.success) {
    // Retrying cannot repair a malformed item; say which one (keys only) and move on.
    logger.warn('notification item malformed, not sent', { sk: item.sk, issues: parsed.error.issues.map((i) => i.path.join('.')) });
    return undefined;
  }
  return parsed.data.channel === 'sms' ? parsed.data : undefined;
}

/** Marks the notification as being sent; false if an earlier delivery of this record already did. */
async function claim(n: Notification, sentAt: string): Promise<boolean> {
  try {
    await documents.send(
      new UpdateCommand({
        TableName: TABLE,
        Key: { pk: n.pk, sk: n.sk },
        UpdateExpression: 'SET sentAt = :sentAt',
        // attribute_exists(pk): never recreate a notification deleted since the stream record was written.
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(sentAt) AND attribute_not_exists(skipped)',
        ExpressionAttributeValues: { ':sentAt': sentAt },
      }),
    );
    return true;
  } catch (err) {
    if (isConditionalCheckFailed(err)) return false;
    throw err;
  }
}

/** Removes our claim (and only ours), so that the retry of this record sends it. */
async function release(n: Notification, sentAt: string): Promise<void> {
  await documents.send(
    new UpdateCommand({
      TableName: TABLE,
      Key: { pk: n.pk, sk: n.sk },
      UpdateExpression: 'REMOVE sentAt',
      ConditionExpression: 'sentAt = :sentAt',
      ExpressionAttributeValues: { ':sentAt': sentAt },
    }),
  );
}

/** The case's phone, decrypted; the contact is written with the case, before any notification. */
async function phoneOf(n: Notification): Promise<string | undefined> {
  // The case the item is stored under (its key), which is also what the ciphertext is bound to.
  const receiptNo = n.pk.slice('CASE#'.length);
  const sealed = await getSealedContact(receiptNo, ['phone']);
  if (!sealed?.phone) return undefined;
  const { phone } = await openContact(receiptNo, { phone: sealed.phone });
  return phone !== undefined && MAINLAND_MOBILE.test(phone) ? phone : undefined;
}

/**
 * Anonymous cases (and contacts without a usable mobile number, or whose ciphertext no longer decrypts)
 * get no SMS: recorded, not retried.
 */
async function markSkipped(n: Notification, sentAt: string, reason: Skipped): Promise<void> {
  await documents.send(
    new UpdateCommand({
      TableName: TABLE,
      Key: { pk: n.pk, sk: n.sk },
      // The claim becomes the reason: sentAt would say an SMS went out.
      UpdateExpression: 'SET skipped = :skipped, skippedAt = :sentAt REMOVE sentAt',
      ConditionExpression: 'sentAt = :sentAt',
      ExpressionAttributeValues: { ':skipped': reason, ':sentAt': sentAt },
    }),
  );
}

/** Releases our claim after a failure, so that Lambda's retry of the record sends it; then rethrows. */
async function releaseAndThrow(n: Notification, sentAt: string, err: unknown): Promise<never> {
  try {
    await release(n, sentAt);
  } catch (releaseErr) {
    // The retry will find the claim and skip: this SMS is lost unless someone clears sentAt.
    logger.error('sms claim not released after a failure', {
      receiptNo: n.receiptNo,
      notificationId: n.notificationId,
      error: { name: (releaseErr as Error).name },
    });
  }
  throw err;
}

async function send(n: Notification): Promise<Outcome> {
  const sentAt = clock.now().toISOString();
  if (!(await claim(n, sentAt))) return 'already_claimed';
  let phone: string | undefined;
  try {
    phone = await phoneOf(n);
  } catch (err) {
    if (!isUnreadableCiphertext(err)) return releaseAndThrow(n, sentAt, err);
    await markSkipped(n, sentAt, 'contact_unreadable');
    return 'contact_unreadable';
  }
  if (!phone) {
    await markSkipped(n, sentAt, 'no_phone');
    return 'no_phone';
  }
  try {
    await sendSms({ phone, message: n.message, reference: n.notificationId });
  } catch (err) {
    return releaseAndThrow(n, sentAt, err);
  }
  return 'sent';
}

export const handler: DynamoDBStreamHandler = async (event) => {
  const batchItemFailures: DynamoDBBatchItemFailure[] = [];
  for (const record of event.Records) {
    const notification = notificationOf(record);
    if (!notification) continue;
    const ids = { receiptNo: notification.receiptNo, notificationId: notification.notificationId };
    try {
      const outcome = await send(notification);
      logger.info('sms notification', { ...ids, outcome });
    } catch (err) {
      // Name and service status only: an SDK error message may quote the request (the phone number).
      const { name, $metadata, httpStatusCode } = err as Error & { $metadata?: { httpStatusCode?: number }; httpStatusCode?: number };
      logger.error('sms notification failed, will be retried', { ...ids, error: { name, httpStatusCode: $metadata?.httpStatusCode ?? httpStatusCode } });
      batchItemFailures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? record.eventID ?? '' });
    }
  }
  return { batchItemFailures };
};
