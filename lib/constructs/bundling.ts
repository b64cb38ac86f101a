/**
 * How every Lambda function is bundled: one source for the CDK construct (lib/constructs/function.ts)
 * and for anything that must build exactly what CDK deploys (bench/cold-start.ts).
 */
import * as path from 'node:path';
import type { BuildOptions } from 'esbuild';
import { LogLevel, OutputFormat, type BundlingOptions, type ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';

/** The project root: esbuild runs from it, and the libraries below resolve from it. */
const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/**
 * Libraries that only one branch of a function loads, and that are large: exceljs (with readable-stream,
 * jszip, archiver, unzipper ... about 1 MB minified) is used by the XLSX branch of the two exports and by
 * nothing else (their CSV branch, and every other request, do without it). Inside the function's bundle
 * V8 must still parse those bytes at every cold start although the code only runs on that branch; so it
 * is kept out of the bundle (external) and bundled on its own, with the same options, into
 * `node_modules/<name>/index.js` of the function's asset, where the bundle's `require('<name>')` finds it
 * on the first XLSX request. An honest trade: the XLSX branch now parses it on its first request, which
 * is the work moved out of the start-up of every cold start; nothing else changes. Only a function whose
 * bundle requires the library gets the separate bundle (see separateBundleCommands).
 *
 * The local runtime and the tests do not bundle: for them these are ordinary packages.
 */
export const separatelyBundled = ['exceljs'] as const;

/** The file a separately bundled library's bundle starts from (its package's `main`), relative to the root. */
export const separateBundleEntry = (name: string): string => path.relative(PROJECT_ROOT, require.resolve(name, { paths: [PROJECT_ROOT] }));

/** Where a separately bundled library goes, relative to the directory of the function's bundle. */
export const separateBundleFile = (name: string): string => path.join('node_modules', name, 'index.js');

/**
 * After CDK's esbuild has written `<outputDir>/index.js`: for each separately bundled library that this
 * bundle loads (an external `import("<name>")` or `require("<name>")` stays in the minified output verbatim), bundle the
 * library into the asset with the esbuild CDK itself runs (`npx --no-install esbuild`) and the flags it
 * passes for lambdaBundling (so these must follow lambdaBundling: see lambdaEsbuildOptions).
 */
function separateBundleCommands(inputDir: string, outputDir: string): string[] {
  const b = lambdaBundling;
  const flags = [
    '--bundle',
    '--platform=node',
    `--target=${b.target}`,
    `--format=${b.format}`,
    ...(b.minify ? ['--minify'] : []),
    ...(b.sourceMap ? ['--sourcemap'] : []),
    `--sources-content=${b.sourcesContent}`,
    `--log-level=${b.logLevel}`,
  ].join(' ');
  return separatelyBundled.map((name) => {
    const entry = path.posix.join(inputDir, separateBundleEntry(name).split(path.sep).join('/'));
    const outfile = path.posix.join(outputDir, separateBundleFile(name).split(path.sep).join('/'));
    return `if grep -qE '(require|import)\\("${name}"\\)' "${outputDir}/index.js"; then npx --no-install esbuild "${entry}" ${flags} --outfile="${outfile}"; fi`;
  });
}

const commandHooks: ICommandHooks = {
  beforeBundling: () => [],
  beforeInstall: () => [],
  afterBundling: separateBundleCommands,
};

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
  // (With it, CDK marks nothing external but what is listed here: the whole SDK a handler imports is in
  // its bundle.)
  bundleAwsSDK: true,
  externalModules: [...separatelyBundled],
  commandHooks,
  // Only problems on the console, not a size table per function.
  logLevel: LogLevel.WARNING,
} as const satisfies BundlingOptions;

/**
 * The same options as esbuild's JS API takes them: what CDK's local bundling passes on the command line
 * (`esbuild --bundle <entry> --target=node22 --platform=node --format=cjs --minify --sourcemap
 * --sources-content=false --log-level=warning --external:exceljs`, the SDK not external since it is bundled).
 */
export const lambdaEsbuildOptions: Readonly<BuildOptions> = {
  bundle: true,
  platform: 'node',
  target: lambdaBundling.target,
  format: lambdaBundling.format === OutputFormat.CJS ? 'cjs' : 'esm',
  minify: lambdaBundling.minify,
  sourcemap: lambdaBundling.sourceMap,
  sourcesContent: lambdaBundling.sourcesContent,
  external: [...lambdaBundling.externalModules, ...(lambdaBundling.bundleAwsSDK ? [] : ['@aws-sdk/*', '@smithy/*'])],
  logLevel: lambdaBundling.logLevel,
};

/** The JS API options of a separately bundled library's bundle (what separateBundleCommands runs), written to `outfile`. */
export const separateBundleOptions = (name: string, outfile: string): BuildOptions => ({
  ...lambdaEsbuildOptions,
  external: [],
  entryPoints: [path.join(PROJECT_ROOT, separateBundleEntry(name))],
  outfile,
});
