/**
 * cdk-nag's AwsSolutions pack over a whole app: bin/app.ts applies it, so `cdk synth` (and deploy) fails on
 * an unsuppressed finding (an error annotation); test/infra/cdk-nag.test.ts applies the same to assert
 * there is none. Suppressions live beside the construct they concern (lib/constructs), each with its reason.
 */
import { Aspects, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

export function applyNag(app: App, opts: { verbose?: boolean } = {}): void {
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: opts.verbose ?? true }));
}
