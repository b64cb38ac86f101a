import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';

/**
 * A secret the CloudFront distribution adds to every request it passes to the API (header
 * x-origin-verify). Handlers believe CloudFront-Viewer-Address, and so count abuse limits per viewer,
 * only on requests carrying it; a caller of the API's own URL is counted by its real address.
 */
export class OriginVerifyHeader extends Construct {
  static readonly HEADER = 'x-origin-verify';
  readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description: 'CloudFront → API origin header: proves a request came through the distribution',
      generateSecretString: { passwordLength: 40, excludePunctuation: true },
    });
    NagSuppressions.addResourceSuppressions(this.secret, [
      {
        id: 'AwsSolutions-SMG4',
        reason:
          'Not rotated automatically: CloudFront and the functions read it at deploy time (dynamic reference), so a rotation is a redeploy; it only decides whose address abuse limits count, and the stage throttle and WAF stand in front.',
      },
    ]);
  }

  /** A CloudFormation dynamic reference: resolved at deploy time, never in the synthesized template. */
  get value(): string {
    return this.secret.secretValue.unsafeUnwrap();
  }
}
