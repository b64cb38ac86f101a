// The AWS SDK warns on every client that Node 20 support ends in 2027; the runtime in AWS is Node 22.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
// No test depends on the day it runs: the platform's clock starts at a pinned instant (a Monday
// morning, district time) unless the date matrix of `npm test` pins another (scripts/test.mjs). The
// platforms that e2e tests start inherit it (npm start honours PLATFORM_NOW on a fresh DATA_DIR).
export const DEFAULT_TEST_NOW = '2026-12-07T10:00:00+08:00';
process.env.PLATFORM_NOW ||= DEFAULT_TEST_NOW;
// Tests start DynamoDB Local dozens of times and keep it for seconds: a C1-only JIT and the serial GC
// start it in about 40 % less CPU (1.6 s instead of 2 s to ready), which the whole run feels on 2 cores.
process.env.DYNAMODB_LOCAL_JAVA_OPTS ??= '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:CICompilerCount=1';
