// The AWS SDK warns on every client that Node 20 support ends in 2027; the runtime in AWS is Node 22.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
