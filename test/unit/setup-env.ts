// Unit tests build handlers as in a cold start: the configuration a function gets from CDK is set first.
process.env.COMPLAINTS_TABLE = 'complaints-test';
process.env.REGISTRY_TABLE = 'registry-test';
process.env.IDEMPOTENCY_TABLE = 'idempotency-test';
process.env.LIMITS_TABLE = 'limits-test';
process.env.COMPLAINT_STATE_MACHINE_ARN = 'arn:aws:states:cn-north-1:123456789012:stateMachine:complaint';
process.env.CONTACT_KEY_ID = 'arn:aws:kms:cn-north-1:123456789012:key/0b9e2c1a-5d44-4e2b-9a57-3c0f6f1d2e7a';
process.env.AWS_REGION = 'cn-north-1';
process.env.AWS_ACCESS_KEY_ID = 'test';
process.env.AWS_SECRET_ACCESS_KEY = 'test';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.LOG_LEVEL = 'silent';
process.env.ORIGIN_VERIFY_SECRET = 'distribution-secret';
