import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, type CfnElement, type Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { readPlatformConfig } from '../../bin/config';
import { PlatformStack } from '../../lib/platform-stack';
import { functionSpecs, type FunctionName, type FunctionSpec } from '../../lib/spec/functions';
import { cloudRoutes, routes } from '../../lib/spec/routes';
import { schedules } from '../../lib/spec/schedules';
import { tableEnvVar, tableList, type TableName } from '../../lib/spec/tables';
import { workflows } from '../../lib/spec/workflows';

/** The feature flags of cdk.json, so the tests synthesize what `cdk synth` synthesizes. */
const cdkContext = (JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;

function synth(context: Record<string, unknown> = {}): { stack: PlatformStack; template: Template } {
  const app = new App({ context: { ...cdkContext, ...context } });
  const config = readPlatformConfig(app.node);
  const stack = new PlatformStack(app, `DoubleReduction-${config.stage}`, config);
  // Template.fromStack also fails on a dependency cycle between resources (which CloudFormation refuses).
  return { stack, template: Template.fromStack(stack) };
}

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

const logicalId = (stack: Stack, construct: IConstruct): string => stack.getLogicalId(construct.node.defaultChild as CfnElement);
const asArray = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);
/** Every logical id a CloudFormation value references through Ref or Fn::GetAtt. */
function referencedIds(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => referencedIds(v, into));
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'Ref' && typeof v === 'string') into.add(v);
      else if (key === 'Fn::GetAtt' && Array.isArray(v)) into.add(String(v[0]));
      else referencedIds(v, into);
    }
  }
  return into;
}

const deployedFunctions = (Object.entries(functionSpecs) as [FunctionName, FunctionSpec][]).filter(([, s]) => !s.localOnly);

describe('PlatformStack (default context)', () => {
  let stack: PlatformStack;
  let template: Template;
  let resources: Record<string, Resource>;

  beforeAll(() => {
    ({ stack, template } = synth());
    resources = template.toJSON().Resources as Record<string, Resource>;
  });

  /** The statements of every IAM policy attached to a function's role. */
  function statementsOf(name: FunctionName): Statement[] {
    const fn = stack.functions[name]!;
    const roleId = logicalId(stack, fn.role!);
    return Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .filter((r) => (r.Properties.Roles as unknown[]).some((ref) => JSON.stringify(ref) === JSON.stringify({ Ref: roleId })))
      .flatMap((r) => (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
  }

  describe('tables', () => {
    test.each(tableList.map((spec) => [spec.name, spec] as const))(
      'the %s table is on-demand, has point-in-time recovery and deletion protection, and is retained',
      (name) => {
        const id = logicalId(stack, stack.tables[name].table);
        expect(resources[id].DeletionPolicy).toBe('Retain');
        expect(resources[id].Properties).toMatchObject({
          BillingMode: 'PAY_PER_REQUEST',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
          SSESpecification: { SSEEnabled: true },
        });
      },
    );

    test.each(tableList.filter((s) => s.personalData).map((s) => [s.name] as const))(
      'the personal-data table %s is encrypted with its own customer-managed key that rotates',
      (name) => {
        const table = stack.tables[name];
        const keyId = logicalId(stack, table.key!);
        expect(resources[logicalId(stack, table.table)].Properties.SSESpecification).toEqual({
          SSEEnabled: true,
          SSEType: 'KMS',
          KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
        });
        expect(resources[keyId].Properties).toMatchObject({ EnableKeyRotation: true });
      },
    );

    test.each(tableList.filter((s) => !s.personalData).map((s) => [s.name] as const))(
      'the table %s without personal data uses the AWS-managed key',
      (name) => {
        expect(resources[logicalId(stack, stack.tables[name].table)].Properties.SSESpecification).toEqual({ SSEEnabled: true });
      },
    );

    test.each(tableList.flatMap((t) => t.indexes.map((i) => [t.name, i.name, i] as const)))(
      'the %s table has the GSI %s with the keys of the spec and ALL projection',
      (name, _indexName, index) => {
        expect(resources[logicalId(stack, stack.tables[name].table)].Properties.GlobalSecondaryIndexes).toEqual(
          expect.arrayContaining([
            {
              IndexName: index.name,
              KeySchema: [
                { AttributeName: index.partitionKey, KeyType: 'HASH' },
                ...(index.sortKey ? [{ AttributeName: index.sortKey, KeyType: 'RANGE' }] : []),
              ],
              Projection: { ProjectionType: 'ALL' },
            },
          ]),
        );
      },
    );

    test('the tasks table is keyed by pk alone and has the byAssignee, openByDue and pendingDelivery GSIs', () => {
      const props = resources[logicalId(stack, stack.tables.tasks.table)].Properties;
      expect(props.KeySchema).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }]);
      expect((props.GlobalSecondaryIndexes as { IndexName: string; KeySchema: unknown }[]).map((i) => [i.IndexName, i.KeySchema])).toEqual([
        ['byAssignee', [{ AttributeName: 'assigneePk', KeyType: 'HASH' }, { AttributeName: 'assigneeSk', KeyType: 'RANGE' }]],
        ['openByDue', [{ AttributeName: 'openPk', KeyType: 'HASH' }, { AttributeName: 'openSk', KeyType: 'RANGE' }]],
        ['pendingDelivery', [{ AttributeName: 'deliveryPk', KeyType: 'HASH' }, { AttributeName: 'deliverySk', KeyType: 'RANGE' }]],
      ]);
    });

    test('the complaints table streams new images (and no old ones); the tables without stream in their spec have none', () => {
      expect(resources[logicalId(stack, stack.tables.complaints.table)].Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
      for (const spec of tableList.filter((t) => !t.stream)) {
        expect([spec.name, resources[logicalId(stack, stack.tables[spec.name].table)].Properties.StreamSpecification]).toEqual([spec.name, undefined]);
      }
    });

    test('the complaints table has the byStatus and outbox GSIs', () => {
      const names = (resources[logicalId(stack, stack.tables.complaints.table)].Properties.GlobalSecondaryIndexes as { IndexName: string }[]).map(
        (i) => i.IndexName,
      );
      expect(names).toEqual(expect.arrayContaining(['byStatus', 'outbox']));
    });

    test('the idempotency table expires items through TTL on expiresAt', () => {
      expect(resources[logicalId(stack, stack.tables.idempotency.table)].Properties.TimeToLiveSpecification).toEqual({
        AttributeName: 'expiresAt',
        Enabled: true,
      });
    });
  });

  describe('functions', () => {
    test('exactly the functions that are not localOnly are deployed', () => {
      // Besides the platform's own functions, only CDK's BucketDeployment handler (it copies web/dist).
      const functions = Object.entries(resources).filter(([id, r]) => r.Type === 'AWS::Lambda::Function' && !id.startsWith('CustomCDKBucketDeployment'));
      expect(functions).toHaveLength(deployedFunctions.length);
      expect(Object.keys(stack.functions).sort()).toEqual(deployedFunctions.map(([name]) => name).sort());
    });

    /** The directory CDK bundled a function's code into (cdk.out/asset.<hash>). */
    const assetDirOf = (name: FunctionName): string => {
      const props = resources[logicalId(stack, stack.functions[name]!)].Properties as { Code: { S3Key: string } };
      return path.join((stack.node.root as App).outdir, `asset.${props.Code.S3Key.replace(/\.zip$/, '')}`);
    };

    test('the two exports carry exceljs as a bundle of its own that loads and writes a workbook; other functions do not carry it', () => {
      for (const name of ['campaignExport', 'ledgerExport'] as const) {
        const dir = assetDirOf(name);
        const library = path.join(dir, 'node_modules', 'exceljs', 'index.js');
        expect(fs.existsSync(library)).toBe(true);
        expect(fs.readFileSync(path.join(dir, 'index.js'), 'utf8')).toMatch(/require\("exceljs"\)|import\("exceljs"\)/);
        // In a fresh Node process, as the function's first XLSX request would: an .xlsx (a zip) comes out.
        const script = `const E=require(${JSON.stringify(library)});const w=new E.Workbook();w.addWorksheet('x').addRow(['办结',1]);w.xlsx.writeBuffer().then(b=>process.stdout.write(Buffer.from(b).subarray(0,2).toString()))`;
        const { execFileSync } = require('node:child_process') as typeof import('node:child_process');
        expect(execFileSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8' })).toBe('PK');
      }
      expect(fs.existsSync(path.join(assetDirOf('caseGet'), 'node_modules', 'exceljs'))).toBe(false);
    });

    test.each(deployedFunctions.map(([name]) => [name] as const))(
      '%s runs nodejs22.x on arm64 with active tracing, source maps and a log group with retention',
      (name) => {
        const fn = resources[logicalId(stack, stack.functions[name]!)];
        expect(fn.Properties).toMatchObject({
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          TracingConfig: { Mode: 'Active' },
          Environment: { Variables: expect.objectContaining({ NODE_OPTIONS: '--enable-source-maps' }) },
        });
        const logGroupRef = (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
        expect(resources[logGroupRef].Type).toBe('AWS::Logs::LogGroup');
        expect(resources[logGroupRef].Properties.RetentionInDays).toEqual(expect.any(Number));
      },
    );

    test.each(deployedFunctions.map(([name, spec]) => [name, spec] as const))(
      '%s gets a table env var for exactly the tables of its spec',
      (name, spec) => {
        const vars = (resources[logicalId(stack, stack.functions[name]!)].Properties.Environment as { Variables: Record<string, unknown> })
          .Variables;
        const tableVars = Object.keys(vars).filter((v) => v.endsWith('_TABLE')).sort();
        expect(tableVars).toEqual((Object.keys(spec.tables) as TableName[]).map(tableEnvVar).sort());
      },
    );

    test('the localOnly functions devLogin and devOutbox are not deployed', () => {
      for (const name of ['devLogin', 'devOutbox'] as const) {
        expect([name, functionSpecs[name].localOnly]).toEqual([name, true]);
        expect([name, stack.functions[name]]).toEqual([name, undefined]);
        template.resourcePropertiesCountIs('AWS::Lambda::Function', { Description: Match.stringLikeRegexp(functionSpecs[name].entry) }, 0);
      }
    });

    test('the stream function sendSms is deployed like the others', () => {
      expect(functionSpecs.sendSms.kind).toBe('stream');
      expect(resources[logicalId(stack, stack.functions.sendSms!)].Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'] });
    });

    test('sendSms is invoked by the complaints stream, only for INSERTs of notification items, with bisect and partial batch responses', () => {
      const mappings = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::EventSourceMapping');
      expect(mappings).toHaveLength(1);
      const { Properties: props } = mappings[0];
      expect(props).toMatchObject({
        FunctionName: { Ref: logicalId(stack, stack.functions.sendSms!) },
        EventSourceArn: { 'Fn::GetAtt': [logicalId(stack, stack.tables.complaints.table), 'StreamArn'] },
        StartingPosition: 'LATEST',
        BatchSize: 10,
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 5,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      const filters = (props.FilterCriteria as { Filters: { Pattern: string }[] }).Filters;
      expect(filters.map((f) => JSON.parse(f.Pattern) as unknown)).toEqual([
        { eventName: ['INSERT'], dynamodb: { NewImage: { entity: { S: ['notification'] } } } },
      ]);
    });

    test('the token-verifying function gets the issuer, audience and JWKS URL of the user pool', () => {
      const vars = (resources[logicalId(stack, stack.functions.whoami!)].Properties.Environment as { Variables: Record<string, unknown> })
        .Variables;
      const poolId = logicalId(stack, stack.api.userPool);
      const clientId = logicalId(stack, stack.api.client);
      expect(vars.JWT_ISSUER).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [poolId, 'ProviderURL'] }]] });
      // Both clients: the officials' app client and the web site's hosted-UI client, comma-separated.
      expect(vars.JWT_AUDIENCE).toEqual({ 'Fn::Join': ['', [{ Ref: clientId }, ',', { Ref: logicalId(stack, stack.web.client) }]] });
      expect(vars.JWT_JWKS_URL).toEqual({
        'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [poolId, 'ProviderURL'] }, '/.well-known/jwks.json']],
      });
    });
  });

  describe('permissions', () => {
    test('no IAM policy statement grants a wildcard action', () => {
      const statements = Object.values(resources).flatMap((r) => {
        if (r.Type === 'AWS::IAM::Policy') return (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
        if (r.Type === 'AWS::IAM::Role') {
          const inline = (r.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[];
          return inline.flatMap((p) => p.PolicyDocument.Statement);
        }
        return [];
      });
      expect(statements.length).toBeGreaterThan(0);
      const actions = statements.flatMap((s) => asArray(s.Action));
      expect(actions.filter((a) => a === '*' || a.endsWith(':*'))).toEqual([]);
    });

    test.each(deployedFunctions.map(([name, spec]) => [name, spec] as const))(
      "%s's role references only the tables (and keys) its spec lists",
      (name, spec) => {
        const referenced = new Set(statementsOf(name).flatMap((s) => [...referencedIds(s.Resource)]));
        const listed = Object.keys(spec.tables) as TableName[];
        for (const table of tableList) {
          const t = stack.tables[table.name];
          const ids = [logicalId(stack, t.table), ...(t.key ? [logicalId(stack, t.key)] : [])];
          for (const id of ids) expect([table.name, referenced.has(id)]).toEqual([table.name, listed.includes(table.name)]);
        }
      },
    );

    test('the complaint submit function writes complaints, idempotency and its rate-limit counters and starts the complaint workflow only', () => {
      const statements = statementsOf('complaintSubmit');
      const dynamo = statements.filter((s) => asArray(s.Action).some((a) => a.startsWith('dynamodb:')));
      const tables = new Set(dynamo.flatMap((s) => [...referencedIds(s.Resource)]));
      expect([...tables].sort()).toEqual(
        [logicalId(stack, stack.tables.complaints.table), logicalId(stack, stack.tables.idempotency.table), logicalId(stack, stack.tables.limits.table)].sort(),
      );
      expect(dynamo.flatMap((s) => asArray(s.Action))).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem']));
      const states = statements.filter((s) => asArray(s.Action).some((a) => a.startsWith('states:')));
      expect(states).toEqual([
        { Effect: 'Allow', Action: 'states:StartExecution', Resource: { Ref: logicalId(stack, stack.workflows.complaint.stateMachine) } },
      ]);
    });

    test('the complaint track function only reads the complaints table, and writes nothing but its rate-limit counters', () => {
      const statements = statementsOf('complaintTrack');
      const dynamo = statements.filter((s) => asArray(s.Action).some((a) => a.startsWith('dynamodb:')));
      const limits = logicalId(stack, stack.tables.limits.table);
      expect(new Set(dynamo.flatMap((s) => [...referencedIds(s.Resource)]))).toEqual(new Set([logicalId(stack, stack.tables.complaints.table), limits]));
      const onComplaints = dynamo.filter((s) => !referencedIds(s.Resource).has(limits)).flatMap((s) => asArray(s.Action));
      expect(onComplaints).toContain('dynamodb:GetItem');
      expect(onComplaints.filter((a) => /Put|Update|Delete|Write/.test(a))).toEqual([]);
      expect(statements.flatMap((s) => asArray(s.Action)).filter((a) => a.startsWith('states:'))).toEqual([]);
    });

    test('sendSms may read the complaints stream and decrypt with the complaints key', () => {
      const statements = statementsOf('sendSms');
      const complaints = stack.tables.complaints;
      expect(statements).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Effect: 'Allow',
            Action: expect.arrayContaining(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator']),
            Resource: { 'Fn::GetAtt': [logicalId(stack, complaints.table), 'StreamArn'] },
          }),
          expect.objectContaining({
            Effect: 'Allow',
            Action: expect.arrayContaining(['kms:Decrypt']),
            Resource: { 'Fn::GetAtt': [logicalId(stack, complaints.key!), 'Arn'] },
          }),
        ]),
      );
    });

    test.each(deployedFunctions.map(([name, spec]) => [name, spec] as const))(
      '%s may send task results to the complaint state machine exactly when its spec says so',
      (name, spec) => {
        const taskResults = statementsOf(name).filter((s) => asArray(s.Action).some((a) => a.startsWith('states:SendTask')));
        if (spec.sendsTaskResults?.includes('complaint')) {
          expect(taskResults).toEqual([
            {
              Effect: 'Allow',
              Action: ['states:SendTaskFailure', 'states:SendTaskHeartbeat', 'states:SendTaskSuccess'],
              Resource: { Ref: logicalId(stack, stack.workflows.complaint.stateMachine) },
            },
          ]);
        } else {
          expect(taskResults).toEqual([]);
        }
      },
    );

    test('some deployed functions send task results and some do not (the test above checks both ways)', () => {
      const senders = deployedFunctions.filter(([, spec]) => spec.sendsTaskResults?.length).map(([name]) => name);
      expect(senders.length).toBeGreaterThan(0);
      expect(senders.length).toBeLessThan(deployedFunctions.length);
    });

    test('only sendSms may sns:Publish, with the resource * that SMS to phone numbers requires', () => {
      const publishers = Object.values(resources)
        .filter((r) => r.Type === 'AWS::IAM::Policy')
        .filter((r) => (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement.some((s) => asArray(s.Action).includes('sns:Publish')))
        .flatMap((r) => r.Properties.Roles as { Ref: string }[]);
      expect(publishers).toEqual([{ Ref: logicalId(stack, stack.functions.sendSms!.role!) }]);
      expect(deployedFunctions.filter(([, spec]) => spec.sendsSms).map(([name]) => name)).toEqual(['sendSms']);
      const publish = statementsOf('sendSms').filter((s) => asArray(s.Action).includes('sns:Publish'));
      expect(publish).toEqual([expect.objectContaining({ Effect: 'Allow', Resource: '*' })]);
      // Roles carry no inline policies here: a Publish hidden there would escape the check above.
      for (const role of Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Role')) {
        expect(JSON.stringify(role.Properties.Policies ?? [])).not.toContain('sns:');
      }
    });

    test("only the admin's user and import functions manage officials' accounts, on the officials' pool alone, with its id in their environment", () => {
      const poolArn = { 'Fn::GetAtt': [logicalId(stack, stack.api.userPool), 'Arn'] };
      const managers = deployedFunctions.filter(([name]) => statementsOf(name).some((st) => asArray(st.Action).some((a) => a.startsWith('cognito-idp:'))));
      expect(managers.map(([name]) => name).sort()).toEqual(['adminImport', 'adminUserCreate', 'adminUserDisable', 'adminUserEnable', 'adminUserUpdate']);
      for (const [name] of managers) {
        expect(statementsOf(name).filter((st) => asArray(st.Action).some((a) => a.startsWith('cognito-idp:')))).toEqual([
          { Effect: 'Allow', Action: ['cognito-idp:AdminCreateUser', 'cognito-idp:AdminDeleteUser', 'cognito-idp:AdminDisableUser', 'cognito-idp:AdminEnableUser', 'cognito-idp:AdminUpdateUserAttributes'], Resource: poolArn },
        ]);
        const vars = (resources[logicalId(stack, stack.functions[name]!)].Properties.Environment as { Variables: Record<string, unknown> }).Variables;
        expect(vars.OFFICIALS_USER_POOL_ID).toEqual({ Ref: logicalId(stack, stack.api.userPool) });
      }
    });

    test('the health function may only describe the complaint state machine', () => {
      const states = statementsOf('health').filter((s) => asArray(s.Action).some((a) => a.startsWith('states:')));
      expect(states).toEqual([
        { Effect: 'Allow', Action: 'states:DescribeStateMachine', Resource: { Ref: logicalId(stack, stack.workflows.complaint.stateMachine) } },
      ]);
    });
  });

  describe('evidence bucket', () => {
    const bucketId = (): string => logicalId(stack, stack.evidence.bucket);
    const keyId = (): string => logicalId(stack, stack.evidence.key);
    const envOf = (name: FunctionName): Record<string, unknown> =>
      (resources[logicalId(stack, stack.functions[name]!)].Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    const evidenceFunctions = deployedFunctions.filter(([, spec]) => spec.evidenceBucket);

    test('there are three buckets, evidence, the web site and their access logs, and the evidence bucket blocks all public access', () => {
      template.resourceCountIs('AWS::S3::Bucket', 3);
      expect(resources[bucketId()].Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(resources[bucketId()].Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    });

    test('its policy denies every request without TLS', () => {
      const policies = Object.values(resources).filter(
        (r) => r.Type === 'AWS::S3::BucketPolicy' && JSON.stringify(r.Properties.Bucket) === JSON.stringify({ Ref: bucketId() }),
      );
      expect(policies).toHaveLength(1);
      expect((policies[0].Properties.PolicyDocument as { Statement: Statement[] }).Statement).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            Principal: { AWS: '*' },
          }),
        ]),
      );
    });

    test('it is encrypted with its own rotating KMS key (bucket key on), is unversioned, aborts stale multipart uploads and expires exports', () => {
      const props = resources[bucketId()].Properties;
      expect(props.BucketEncryption).toEqual({
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId(), 'Arn'] } },
          },
        ],
      });
      expect(resources[keyId()].Properties).toMatchObject({ EnableKeyRotation: true });
      expect(props.VersioningConfiguration).toBeUndefined();
      expect(props.LifecycleConfiguration).toEqual({
        Rules: [
          { Id: 'abort-incomplete-multipart-uploads', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' },
          // Only exports expire, after one day: no rule without a prefix may touch evidence.
          { Id: 'expire-exports', Prefix: 'exports/', ExpirationInDays: 1, Status: 'Enabled' },
        ],
      });
    });

    test('without webOrigin its CORS allows PUT and GET with content-type from any origin', () => {
      expect(resources[bucketId()].Properties.CorsConfiguration).toEqual({
        CorsRules: [expect.objectContaining({ AllowedMethods: ['PUT', 'GET'], AllowedOrigins: ['*'], AllowedHeaders: ['content-type'] })],
      });
    });

    test('it and its key are retained with the stack, and never emptied by it', () => {
      expect(resources[bucketId()].DeletionPolicy).toBe('Retain');
      expect(resources[keyId()].DeletionPolicy).toBe('Retain');
      expect(Object.values(resources).filter((r) => r.Type === 'Custom::S3AutoDeleteObjects')).toEqual([]);
    });

    test('some deployed functions read evidence, one writes it, and others do not touch it (the tests below check all ways)', () => {
      expect(evidenceFunctions.filter(([, spec]) => spec.evidenceBucket === 'read').length).toBeGreaterThan(0);
      expect(evidenceFunctions.filter(([, spec]) => spec.evidenceBucket === 'readWrite').length).toBeGreaterThan(0);
      expect(evidenceFunctions.length).toBeLessThan(deployedFunctions.length);
    });

    test.each(deployedFunctions.map(([name, spec]) => [name, spec] as const))(
      '%s gets EVIDENCE_BUCKET and S3/KMS actions on the evidence bucket exactly as its spec says',
      (name, spec) => {
        const statements = statementsOf(name);
        const s3Statements = statements.filter((s) => asArray(s.Action).some((a) => a.startsWith('s3:')));
        const evidenceKeyStatements = statements.filter((s) => referencedIds(s.Resource).has(keyId()));
        if (!spec.evidenceBucket) {
          expect([name, envOf(name).EVIDENCE_BUCKET, s3Statements, evidenceKeyStatements]).toEqual([name, undefined, [], []]);
          return;
        }
        expect(envOf(name).EVIDENCE_BUCKET).toEqual({ Ref: bucketId() });
        const write = spec.evidenceBucket === 'readWrite';
        expect(s3Statements.flatMap((s) => asArray(s.Action)).sort()).toEqual(write ? ['s3:GetObject', 's3:PutObject'] : ['s3:GetObject']);
        for (const s of s3Statements) {
          expect(s.Resource).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId(), 'Arn'] }, '/*']] });
        }
        expect(evidenceKeyStatements.flatMap((s) => asArray(s.Action)).sort()).toEqual(write ? ['kms:Decrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt']);
      },
    );

    test('no role or policy in the stack lets a function delete, list or do everything in S3', () => {
      const functionRoles = new Set(deployedFunctions.map(([name]) => logicalId(stack, stack.functions[name]!.role!)));
      const actions = Object.values(resources)
        .filter((r) => r.Type === 'AWS::IAM::Policy')
        .filter((r) => (r.Properties.Roles as { Ref: string }[]).some((ref) => functionRoles.has(ref.Ref)))
        .flatMap((r) => (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
        .flatMap((s) => asArray(s.Action))
        .filter((a) => a.startsWith('s3:'));
      expect(actions.length).toBeGreaterThan(0);
      expect(actions.filter((a) => a === 's3:*' || /^s3:(Delete|List|PutBucket|PutObjectAcl)/.test(a) || a.includes('*'))).toEqual([]);
      for (const role of Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Role')) {
        expect(JSON.stringify(role.Properties.Policies ?? [])).not.toContain('s3:');
      }
    });
  });

  describe('complaint workflow', () => {
    test('the state machine is loaded from its ASL file, with the ARN of each function of the spec as its substitution', () => {
      const sm = resources[logicalId(stack, stack.workflows.complaint.stateMachine)];
      expect(sm.Properties.DefinitionS3Location).toBeDefined();
      expect(sm.Properties.DefinitionString).toBeUndefined();
      expect(sm.Properties.DefinitionSubstitutions).toEqual(
        Object.fromEntries(
          Object.entries(workflows.complaint.functionArns).map(([variable, fn]) => [
            variable,
            { 'Fn::GetAtt': [logicalId(stack, stack.functions[fn]!), 'Arn'] },
          ]),
        ),
      );
      expect(workflows.complaint.functionArns.TriageFunctionArn).toBe('triage');
    });

    test('every Lambda task retries Lambda service errors and DynamoDB throttling with bounded backoff, and its Catch runs it again later', () => {
      type Retrier = { ErrorEquals: string[]; IntervalSeconds?: number; MaxAttempts?: number; BackoffRate?: number; MaxDelaySeconds?: number };
      type State = { Type: string; Resource?: string; Next?: string; Seconds?: number; Retry?: Retrier[]; Catch?: Array<{ ErrorEquals: string[]; Next: string; ResultPath?: string }>; ItemProcessor?: { States: Record<string, State> } };
      const asl = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', workflows.complaint.definitionFile), 'utf8')) as { States: Record<string, State> };
      const scopes: Array<Record<string, State>> = [];
      const collect = (states: Record<string, State>) => {
        scopes.push(states);
        Object.values(states).forEach((s) => s.ItemProcessor && collect(s.ItemProcessor.States));
      };
      collect(asl.States);
      const tasks = scopes.flatMap((states) =>
        Object.entries(states)
          .filter(([, s]) => s.Type === 'Task' && s.Resource?.startsWith('arn:aws:states:::lambda:invoke'))
          .map(([name, s]) => ({ name, state: s, states })),
      );
      expect(tasks.map((t) => t.name).sort()).toEqual(['AcceptCase', 'CloseRectified', 'CloseUnfounded', 'DepartmentSignoff', 'Investigate', 'RaiseLedgerItem', 'Reinspect', 'StartRectification', 'Triage']);

      const lambdaErrors = ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'];
      const dynamodbErrors = ['ProvisionedThroughputExceededException', 'ThrottlingException', 'InternalServerError'];
      for (const { name, state, states } of tasks) {
        const retry = state.Retry ?? [];
        const index = (error: string) => retry.findIndex((r) => r.ErrorEquals.includes(error));
        const catchAll = Math.max(index('States.TaskFailed'), index('States.ALL'));
        for (const error of [...lambdaErrors, ...dynamodbErrors]) {
          const i = index(error);
          expect({ name, error, retried: i >= 0 }).toEqual({ name, error, retried: true });
          // A retrier is used only if no earlier one matches: the specific ones come before a catch-all.
          if (catchAll >= 0) expect(i).toBeLessThan(catchAll);
          const r = retry[i];
          expect(r.MaxAttempts).toBeGreaterThanOrEqual(3);
          expect(r.MaxAttempts).toBeLessThanOrEqual(10);
          expect(r.BackoffRate).toBeGreaterThan(1);
          expect(r.IntervalSeconds).toBeGreaterThanOrEqual(1);
          expect(r.MaxDelaySeconds).toBeDefined();
        }
        // Retries exhausted: a Wait that leads back to the same task, keeping the state's input.
        const handler = (state.Catch ?? []).find((c) => c.ErrorEquals.includes('States.ALL'));
        expect(handler?.ResultPath).toMatch(/^\$\.\w+$/);
        const later = states[handler?.Next ?? ''];
        expect({ name, type: later?.Type, next: later?.Next }).toEqual({ name, type: 'Wait', next: name });
        expect(later.Seconds).toBeGreaterThanOrEqual(60);
      }
    });

    test('the state machine is STANDARD, traced, and logs errors without execution data', () => {
      template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
        StateMachineType: 'STANDARD',
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: { Level: 'ERROR', IncludeExecutionData: false },
      });
    });

    test('the state machine may invoke the functions of its spec and no other', () => {
      const roleId = logicalId(stack, stack.workflows.complaint.stateMachine.role);
      const policies = Object.values(resources).filter(
        (r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: roleId }]),
      );
      const invoke = policies
        .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
        .filter((s) => asArray(s.Action).includes('lambda:InvokeFunction'));
      const invoked = Object.values(workflows.complaint.functionArns).map((fn) => logicalId(stack, stack.functions[fn]!));
      expect(new Set(invoke.flatMap((s) => [...referencedIds(s.Resource)]))).toEqual(new Set(invoked));
    });
  });

  describe('HTTP API', () => {
    const routeResources = (): Resource[] => Object.values(resources).filter((r) => r.Type === 'AWS::ApiGatewayV2::Route');
    const routeFor = (key: string): Resource | undefined => routeResources().find((r) => r.Properties.RouteKey === key);

    test('every cloud route exists, and only those', () => {
      expect(routeResources().map((r) => r.Properties.RouteKey).sort()).toEqual(cloudRoutes.map((r) => `${r.method} ${r.path}`).sort());
    });

    test('every deployed HTTP function serves at least one cloud route, and no localOnly route is deployed', () => {
      const routed = new Set(cloudRoutes.map((r) => r.function));
      expect(deployedFunctions.filter(([name, spec]) => spec.kind === 'http' && !routed.has(name)).map(([name]) => name)).toEqual([]);
      for (const route of routes.filter((r) => r.localOnly)) expect(routeFor(`${route.method} ${route.path}`)).toBeUndefined();
    });

    test.each(cloudRoutes.map((r) => [`${r.method} ${r.path}`, r.function] as const))(
      'the route %s is integrated with the %s function, which API Gateway may invoke',
      (key, fnName) => {
        const fnId = logicalId(stack, stack.functions[fnName]!);
        const target = routeFor(key)!.Properties.Target as { 'Fn::Join': [string, [string, { Ref: string }]] };
        expect(target['Fn::Join'][1][0]).toBe('integrations/');
        const integration = resources[target['Fn::Join'][1][1].Ref];
        expect(integration).toMatchObject({
          Type: 'AWS::ApiGatewayV2::Integration',
          Properties: { IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0', IntegrationUri: { 'Fn::GetAtt': [fnId, 'Arn'] } },
        });
        template.hasResourceProperties('AWS::Lambda::Permission', {
          Action: 'lambda:InvokeFunction',
          Principal: 'apigateway.amazonaws.com',
          FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] },
        });
      },
    );

    test.each(cloudRoutes.filter((r) => r.auth === 'official').map((r) => [`${r.method} ${r.path}`] as const))(
      'the official route %s requires a JWT from the user pool',
      (key) => {
        const route = routeFor(key)!;
        expect(route.Properties.AuthorizationType).toBe('JWT');
        const authorizer = resources[(route.Properties.AuthorizerId as { Ref: string }).Ref];
        expect(authorizer.Properties).toMatchObject({
          AuthorizerType: 'JWT',
          JwtConfiguration: {
            Audience: [{ Ref: logicalId(stack, stack.api.client) }, { Ref: logicalId(stack, stack.web.client) }],
            Issuer: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(stack, stack.api.userPool), 'ProviderURL'] }]] },
          },
        });
      },
    );

    test.each(cloudRoutes.filter((r) => r.auth === 'public').map((r) => [`${r.method} ${r.path}`] as const))(
      'the public route %s has no authorizer',
      (key) => {
        const route = routeFor(key)!;
        expect(route.Properties.AuthorizationType).toBe('NONE');
        expect(route.Properties.AuthorizerId).toBeUndefined();
      },
    );

    test('the dev-login route and its function do not exist in the cloud stack', () => {
      const devLogin = routes.find((r) => r.path === '/api/dev/login')!;
      expect(devLogin.localOnly).toBe(true);
      expect(routeFor(`${devLogin.method} ${devLogin.path}`)).toBeUndefined();
      expect(stack.functions.devLogin).toBeUndefined();
      template.resourcePropertiesCountIs('AWS::Lambda::Function', { Description: Match.stringLikeRegexp('dev-login') }, 0);
    });

    test('the default stage auto-deploys with throttling and JSON access logs', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100 },
        AccessLogSettings: {
          DestinationArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
          Format: Match.stringLikeRegexp('"requestId":"\\$context.requestId"'),
        },
      });
    });

    test('without webOrigin CORS allows any origin, without credentials, and synth warns about it', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        CorsConfiguration: { AllowOrigins: ['*'], AllowCredentials: false },
      });
      Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('CORS allows any origin'));
    });

    test('the user pool admits no self sign-up and carries the official attributes', () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        MfaConfiguration: 'OPTIONAL',
        Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireSymbols: true }) },
        Schema: Match.arrayWith(
          ['role', 'unit', 'department', 'schoolId'].map((name) => Match.objectLike({ Name: name, AttributeDataType: 'String' })),
        ),
        DeletionProtection: 'ACTIVE',
      });
    });

    test('the app client cannot write the custom attributes (an official cannot change their own role)', () => {
      const client = resources[logicalId(stack, stack.api.client)];
      expect(client.Properties.GenerateSecret).toBe(false);
      expect((client.Properties.WriteAttributes as string[]).filter((a) => a.startsWith('custom:'))).toEqual([]);
      expect(client.Properties.ReadAttributes).toEqual(expect.arrayContaining(['custom:role', 'custom:unit']));
    });

    test('the stack outputs the API URL, the user pool id and the client id', () => {
      const outputs = Object.keys(template.toJSON().Outputs as Record<string, unknown>);
      expect(outputs).toEqual(expect.arrayContaining(['ApiUrl', 'UserPoolId', 'UserPoolClientId']));
    });
  });

  describe('schedules', () => {
    test('there is one schedule per schedule spec', () => {
      template.resourceCountIs('AWS::Scheduler::Schedule', schedules.length);
    });

    test('every schedule of the spec exists under its name (the description starts with it), and no other', () => {
      const names = Object.values(resources)
        .filter((r) => r.Type === 'AWS::Scheduler::Schedule')
        .map((r) => String(r.Properties.Description).split(':')[0]);
      expect(names.sort()).toEqual(schedules.map((s) => s.name).sort());
      expect(names).toEqual(expect.arrayContaining(['start-pending-workflows', 'escalate-overdue-tasks', 'redeliver-decisions']));
    });

    test('overdue rectification items are escalated just after midnight district time, not at the hour of the deploy', () => {
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        Description: Match.stringLikeRegexp('^escalate-overdue-rectification-items:'),
        ScheduleExpression: 'cron(5 0 * * ? *)',
        ScheduleExpressionTimezone: 'Asia/Shanghai',
      });
    });

    test.each(schedules.map((s) => [s.name, s] as const))('the %s schedule invokes its function on its expression', (_name, spec) => {
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: spec.expression,
        ...(spec.expression.startsWith('cron(') ? { ScheduleExpressionTimezone: 'Asia/Shanghai' } : {}),
        State: 'ENABLED',
        Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId(stack, stack.functions[spec.target]!), 'Arn'] } }),
      });
    });
  });
});

describe('PlatformStack with deletionProtection=false and a webOrigin', () => {
  let stack: PlatformStack;
  let template: Template;

  beforeAll(() => {
    // Strings, as `cdk synth -c deletionProtection=false -c webOrigin=...` passes them. Bundling is skipped
    // here (the first synth already bundled every handler): it saves ~6 s and nothing below looks at code.
    ({ stack, template } = synth({
      deletionProtection: 'false',
      stage: 'dev',
      webOrigin: 'https://web.example.org',
      'aws:cdk:bundling-stacks': [],
    }));
  });

  test.each(tableList.map((s) => [s.name] as const))('the %s table has no deletion protection and is deleted with the stack', (name) => {
    const table = template.toJSON().Resources[logicalId(stack, stack.tables[name].table)] as Resource;
    expect(table.Properties.DeletionProtectionEnabled).toBe(false);
    expect(table.DeletionPolicy).toBe('Delete');
  });

  test('the user pool has no deletion protection', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', { DeletionProtection: 'INACTIVE' });
  });

  test('the evidence bucket and its key are deleted with the stack, emptied first', () => {
    const resources = template.toJSON().Resources as Record<string, Resource>;
    expect(resources[logicalId(stack, stack.evidence.bucket)].DeletionPolicy).toBe('Delete');
    expect(resources[logicalId(stack, stack.evidence.key)].DeletionPolicy).toBe('Delete');
    // The evidence bucket, the web site's bucket and the access-log bucket.
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 3);
  });

  test("the evidence bucket's CORS allows only the web origin", () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: { CorsRules: [Match.objectLike({ AllowedOrigins: ['https://web.example.org'] })] },
    });
  });

  test('CORS allows only the web origin', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://web.example.org'] }),
    });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('CORS allows any origin'));
  });
});

describe('readPlatformConfig', () => {
  const read = (context: Record<string, unknown>) => readPlatformConfig(new App({ context }).node);

  test('defaults to a protected prod stage', () => {
    expect(read({})).toEqual({ stage: 'prod', deletionProtection: true, webOrigin: undefined, authDomainPrefix: 'double-reduction-prod' });
  });

  test('the hosted UI domain prefix follows the stage unless authDomainPrefix is set, and must be a valid Cognito prefix', () => {
    expect(read({ stage: 'dev' }).authDomainPrefix).toBe('double-reduction-dev');
    expect(read({ stage: 'dev', authDomainPrefix: 'jianfu-login' }).authDomainPrefix).toBe('jianfu-login');
    expect(() => read({ authDomainPrefix: 'my-cognito-login' })).toThrow(/authDomainPrefix/);
    expect(() => read({ authDomainPrefix: 'Upper_Case' })).toThrow(/authDomainPrefix/);
  });

  test('rejects a deletionProtection that is not a boolean', () => {
    expect(() => read({ deletionProtection: 'no' })).toThrow(/true or false/);
  });
});

describe('the web front end in AWS', () => {
  let template: Template;
  beforeAll(() => {
    ({ template } = synth({ 'aws:cdk:bundling-stacks': [] }));
  });

  test('is served by CloudFront over HTTPS from a private bucket, with /api/* passed to the HTTP API uncached', () => {
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
        CacheBehaviors: [Match.objectLike({ PathPattern: '/api/*', ViewerProtocolPolicy: 'https-only', CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad' })],
        CustomErrorResponses: Match.arrayWith([Match.objectLike({ ErrorCode: 404, ResponseCode: 200, ResponsePagePath: '/index.html' })]),
      }),
    });
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.allResourcesProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
  });
});

describe('official sign-in through the Cognito hosted UI', () => {
  const distributionUrl = (stack: PlatformStack) => ({
    'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(stack, stack.web.distribution), 'DomainName'] }]],
  });

  describe('default context (the CloudFront URL is the web origin)', () => {
    let stack: PlatformStack;
    let template: Template;
    let resources: Record<string, Resource>;
    beforeAll(() => {
      ({ stack, template } = synth({ 'aws:cdk:bundling-stacks': [] }));
      resources = template.toJSON().Resources as Record<string, Resource>;
    });

    test('the user pool has a Cognito prefix domain named after the stage', () => {
      template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
      template.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
        Domain: 'double-reduction-prod',
        UserPoolId: { Ref: logicalId(stack, stack.api.userPool) },
      });
      // A prefix domain, not a custom domain (which would need a certificate).
      const domain = Object.values(resources).find((r) => r.Type === 'AWS::Cognito::UserPoolDomain')!;
      expect(domain.Properties.CustomDomainConfig).toBeUndefined();
    });

    test('the web client is public (no secret) and allows only the authorization code grant, with openid/email/profile and the site as callback', () => {
      const client = resources[logicalId(stack, stack.web.client)];
      expect(client.Type).toBe('AWS::Cognito::UserPoolClient');
      expect(client.Properties).toMatchObject({
        UserPoolId: { Ref: logicalId(stack, stack.api.userPool) },
        GenerateSecret: false,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        SupportedIdentityProviders: ['COGNITO'],
        CallbackURLs: [distributionUrl(stack)],
        LogoutURLs: [distributionUrl(stack)],
      });
      expect([...(client.Properties.AllowedOAuthScopes as string[])].sort()).toEqual(['email', 'openid', 'profile']);
    });

    test('the web client’s ID tokens carry the official attributes, which it cannot write', () => {
      const client = resources[logicalId(stack, stack.web.client)];
      expect(client.Properties.ReadAttributes).toEqual(expect.arrayContaining(['custom:role', 'custom:unit', 'custom:department', 'custom:schoolId']));
      expect((client.Properties.WriteAttributes as string[]).filter((a) => a.startsWith('custom:'))).toEqual([]);
    });

    test('the existing app client stays as it was: SRP sign-in, no OAuth', () => {
      const client = resources[logicalId(stack, stack.api.client)];
      expect(client.Properties.ExplicitAuthFlows).toEqual(expect.arrayContaining(['ALLOW_USER_SRP_AUTH']));
      expect(client.Properties.AllowedOAuthFlows).toBeUndefined();
      expect(client.Properties.CallbackURLs).toBeUndefined();
    });

    test('the JWT authorizer accepts ID tokens of both clients', () => {
      const authorizers = Object.values(resources).filter((r) => r.Type === 'AWS::ApiGatewayV2::Authorizer');
      expect(authorizers).toHaveLength(1);
      expect((authorizers[0].Properties.JwtConfiguration as { Audience: unknown }).Audience).toEqual([
        { Ref: logicalId(stack, stack.api.client) },
        { Ref: logicalId(stack, stack.web.client) },
      ]);
    });

    test('config.json is deployed beside index.html with the hosted UI domain, the web client id and the redirect URI', () => {
      const deployments = Object.values(resources).filter((r) => r.Type === 'Custom::CDKBucketDeployment');
      expect(deployments).toHaveLength(1);
      const props = deployments[0].Properties as { SourceObjectKeys: string[]; SourceMarkers: Record<string, unknown>[]; DistributionPaths: string[] };
      expect(props.SourceObjectKeys).toHaveLength(2);
      expect(props.DistributionPaths).toEqual(expect.arrayContaining(['/index.html', '/config.json']));
      // Source.jsonData writes config.json with markers for the deploy-time values the custom resource fills in.
      const markers = props.SourceMarkers[1];
      expect(Object.values(markers)).toEqual(
        expect.arrayContaining([
          { Ref: logicalId(stack, stack.api.domain) },
          { Ref: 'AWS::Region' },
          { Ref: logicalId(stack, stack.web.client) },
          { 'Fn::GetAtt': [logicalId(stack, stack.web.distribution), 'DomainName'] },
        ]),
      );
      const assetDir = path.join((stack.node.root as App).outdir, `asset.${props.SourceObjectKeys[1].replace(/\.zip$/, '')}`);
      const config = JSON.parse(fs.readFileSync(path.join(assetDir, 'config.json'), 'utf8')) as Record<string, string>;
      const marker = (ref: unknown) => Object.entries(markers).find(([, v]) => JSON.stringify(v) === JSON.stringify(ref))![0];
      expect(config).toEqual({
        signIn: 'cognito',
        authDomain: `https://${marker({ Ref: logicalId(stack, stack.api.domain) })}.auth.${marker({ Ref: 'AWS::Region' })}.amazoncognito.com`,
        clientId: marker({ Ref: logicalId(stack, stack.web.client) }),
        redirectUri: `https://${marker({ 'Fn::GetAtt': [logicalId(stack, stack.web.distribution), 'DomainName'] })}`,
      });
    });

    test('the stack outputs the hosted UI domain and the web client id', () => {
      const outputs = Object.keys(template.toJSON().Outputs as Record<string, unknown>);
      expect(outputs).toEqual(expect.arrayContaining(['AuthDomain', 'WebSignInClientId']));
    });
  });

  describe('with a webOrigin and an authDomainPrefix', () => {
    let stack: PlatformStack;
    let template: Template;
    beforeAll(() => {
      ({ stack, template } = synth({ stage: 'dev', webOrigin: 'https://web.example.org', authDomainPrefix: 'jianfu-dev', 'aws:cdk:bundling-stacks': [] }));
    });

    test('the domain takes the prefix and the callback and sign-out URLs are the web origin', () => {
      template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'jianfu-dev' });
      const client = (template.toJSON().Resources as Record<string, Resource>)[logicalId(stack, stack.web.client)];
      expect(client.Properties).toMatchObject({ CallbackURLs: ['https://web.example.org'], LogoutURLs: ['https://web.example.org'] });
      expect(stack.web.runtimeConfig.redirectUri).toBe('https://web.example.org');
    });
  });
});
