/**
 * SMS out through a configurable provider, chosen once at start-up:
 *   SMS_PROVIDER=sns (the default): Amazon SNS, where the partition offers SMS (not in the China regions);
 *   SMS_PROVIDER=http: an HTTP SMS gateway (a Chinese carrier's or an aggregator's): POST SMS_GATEWAY_URL
 *     with {"to": "+86…", "message": "…", "reference": "<notification id>"} as JSON and, when set,
 *     Authorization: Bearer SMS_GATEWAY_TOKEN; any 2xx is sent, anything else is a failure to retry.
 * Neither the phone number nor the message is ever put in an error or a log.
 */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { requireEnv } from './config';

const PROVIDER = process.env.SMS_PROVIDER || 'sns';
if (PROVIDER !== 'sns' && PROVIDER !== 'http') throw new Error(`Configuration: SMS_PROVIDER must be sns or http, got ${PROVIDER}`);
const sns = PROVIDER === 'sns' ? new SNSClient({}) : undefined;
const gateway = PROVIDER === 'http' ? { url: new URL(requireEnv('SMS_GATEWAY_URL')), token: process.env.SMS_GATEWAY_TOKEN } : undefined;
const GATEWAY_TIMEOUT_MS = 10_000;

/** The gateway's refusal: only its status, never what was sent. */
export class SmsGatewayError extends Error {
  constructor(readonly httpStatusCode: number) {
    super(`the SMS gateway answered ${httpStatusCode}`);
    this.name = 'SmsGatewayError';
  }
}

/** One SMS to a mainland mobile number (11 digits, as the intake stores it). */
export async function sendSms(sms: { phone: string; message: string; reference: string }): Promise<void> {
  const to = `+86${sms.phone}`;
  if (sns) {
    await sns.send(
      new PublishCommand({
        PhoneNumber: to,
        Message: sms.message,
        // Transactional: delivery is prioritised over cost, and these are not marketing messages.
        MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
      }),
    );
    return;
  }
  const g = gateway as NonNullable<typeof gateway>;
  const res = await fetch(g.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(g.token ? { authorization: `Bearer ${g.token}` } : {}) },
    body: JSON.stringify({ to, message: sms.message, reference: sms.reference }),
    signal: AbortSignal.timeout(GATEWAY_TIMEOUT_MS),
  });
  await res.arrayBuffer().catch(() => undefined);
  if (!res.ok) throw new SmsGatewayError(res.status);
}
