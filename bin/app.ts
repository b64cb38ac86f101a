#!/usr/bin/env node
import { App, Tags } from 'aws-cdk-lib';
import { EdgeFirewallStack } from '../lib/edge-firewall-stack';
import { PlatformStack } from '../lib/platform-stack';
import { readPlatformConfig } from './config';
import { applyNag } from '../lib/nag';

const app = new App();
const config = readPlatformConfig(app.node);

// Environment-agnostic on purpose: synth needs no AWS account or credentials; `cdk deploy` binds it.
new PlatformStack(app, `DoubleReduction-${config.stage}`, {
  ...config,
  description: `Double Reduction governance platform (${config.stage})`,
  terminationProtection: config.deletionProtection,
});

// CloudFront web ACLs exist only in us-east-1: deploy this first, then pass its WebAclArn output as
// -c webAclArn=... to the platform stack (README, Deploying).
new EdgeFirewallStack(app, `DoubleReduction-${config.stage}-edge`, {
  env: { region: 'us-east-1', account: process.env.CDK_DEFAULT_ACCOUNT },
  description: `Double Reduction platform: WAF web ACL of the CloudFront distribution (${config.stage})`,
});

// cdk-nag on every stack: synth fails on an unsuppressed finding, not only the tests.
applyNag(app);

Tags.of(app).add('project', 'double-reduction');
Tags.of(app).add('stage', config.stage);
