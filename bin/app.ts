#!/usr/bin/env node
import { App, Tags } from 'aws-cdk-lib';
import { PlatformStack } from '../lib/platform-stack';
import { readPlatformConfig } from './config';

const app = new App();
const config = readPlatformConfig(app.node);

// Environment-agnostic on purpose: synth needs no AWS account or credentials; `cdk deploy` binds it.
new PlatformStack(app, `DoubleReduction-${config.stage}`, {
  ...config,
  description: `Double Reduction governance platform (${config.stage})`,
  terminationProtection: config.deletionProtection,
});

Tags.of(app).add('project', 'double-reduction');
Tags.of(app).add('stage', config.stage);
