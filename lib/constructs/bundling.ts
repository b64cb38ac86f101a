/**
 * How every Lambda function is bundled: one source for the CDK construct (lib/constructs/function.ts)
 * and for anything that must build exactly what CDK deploys (bench/cold-start.ts).
 */
import type { BuildOptions } from 'esbuild';
import { LogLevel, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';

/** The esbuild-relevant bundling options of every function (NodejsFunction `bundling`). */
export const lambdaBundling = {
  target: 'node22',
  // CJS: esbuild converts the ESM-only middy to CommonJS; no top-level await is used by the handlers.
  format: OutputFormat.CJS,
  minify: true,
  sourceMap: true,
  // Mappings are enough for stack traces; leaving the sources out keeps the bundles small.
  sourcesContent: false,
  // Ship the SDK version the tests ran against instead of whatever the runtime happens to carry.
  // (With it, CDK marks nothing external: the whole SDK a handler imports is in its bundle.)
  bundleAwsSDK: true,
  // Only problems on the console, not a size table per function.
  logLevel: LogLevel.WARNING,
} as const satisfies BundlingOptions;

/**
 * The same options as esbuild's JS API takes them: what CDK's local bundling passes on the command line
 * (`esbuild --bundle <entry> --target=node22 --platform=node --format=cjs --minify --sourcemap
 * --sources-content=false --log-level=warning`, no --external since the SDK is bundled).
 */
export const lambdaEsbuildOptions: Readonly<BuildOptions> = {
  bundle: true,
  platform: 'node',
  target: lambdaBundling.target,
  format: lambdaBundling.format === OutputFormat.CJS ? 'cjs' : 'esm',
  minify: lambdaBundling.minify,
  sourcemap: lambdaBundling.sourceMap,
  sourcesContent: lambdaBundling.sourcesContent,
  external: lambdaBundling.bundleAwsSDK ? [] : ['@aws-sdk/*', '@smithy/*'],
  logLevel: lambdaBundling.logLevel,
};
