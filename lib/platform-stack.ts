import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AccessLogBucket } from './constructs/access-log-bucket';
import { ContactKey } from './constructs/contact-key';
import { EvidenceBucket } from './constructs/evidence-bucket';
import { PlatformFunction } from './constructs/function';
import { officialReadAttributes, PlatformHttpApi } from './constructs/http-api';
import { OriginVerifyHeader } from './constructs/origin-verify';
import { WebSite } from './constructs/web-site';
import { PlatformSchedule } from './constructs/schedule';
import { PlatformTable } from './constructs/table';
import { PlatformWorkflow } from './constructs/workflow';
import { functionSpecs, type FunctionName, type FunctionSpec, type TableAccess } from './spec/functions';
import { cloudRoutes } from './spec/routes';
import { schedules } from './spec/schedules';
import { tableList, type TableName } from './spec/tables';
import { workflows, type WorkflowName } from './spec/workflows';

export interface PlatformStackProps extends StackProps {
  stage: string;
  deletionProtection: boolean;
  webOrigin?: string;
  authDomainPrefix: string;
  /** The EdgeFirewall stack's web ACL (us-east-1), put in front of the CloudFront distribution. */
  webAclArn?: string;
}

const pascal = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);

/** The whole platform, wired from lib/spec/*. Defaults live in lib/constructs; nothing is configured here. */
export class PlatformStack extends Stack {
  readonly tables: Record<TableName, PlatformTable>;
  readonly evidence: EvidenceBucket;
  readonly contactKey: ContactKey;
  readonly functions: Partial<Record<FunctionName, PlatformFunction>> = {};
  readonly workflows: Record<WorkflowName, PlatformWorkflow>;
  readonly api: PlatformHttpApi;
  readonly web: WebSite;
  readonly schedules: PlatformSchedule[];

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    const { deletionProtection } = props;

    this.tables = Object.fromEntries(
      tableList.map((spec) => [spec.name, new PlatformTable(this, `${pascal(spec.name)}Table`, { spec, deletionProtection })]),
    ) as Record<TableName, PlatformTable>;
    this.contactKey = new ContactKey(this, 'ContactKey', { deletionProtection });

    const accessLogs = new AccessLogBucket(this, 'AccessLogs', { deletionProtection });
    this.evidence = new EvidenceBucket(this, 'Evidence', { webOrigin: props.webOrigin, deletionProtection, accessLogs });

    const originVerify = new OriginVerifyHeader(this, 'OriginVerify');

    const deployed = (Object.entries(functionSpecs) as [FunctionName, FunctionSpec][]).filter(([, spec]) => !spec.localOnly);
    for (const [name, spec] of deployed) {
      const fn = new PlatformFunction(this, `${pascal(name)}Function`, { name, spec, deletionProtection });
      for (const [table, access] of Object.entries(spec.tables) as [TableName, TableAccess][]) {
        fn.useTable(this.tables[table], access);
      }
      // Functions that count abuse limits (the limits table) count them per viewer behind CloudFront.
      if (spec.tables.limits) fn.trustsViewerAddressFrom(originVerify);
      if (spec.consumesStreamOf) fn.consumesStreamOf(this.tables[spec.consumesStreamOf.table], spec.consumesStreamOf.entity);
      if (spec.sendsSms) fn.sendsSms();
      if (spec.contactCipher) fn.usesContactKey(this.contactKey, spec.contactCipher);
      if (spec.evidenceBucket) fn.usesEvidenceBucket(this.evidence, spec.evidenceBucket);
      this.functions[name] = fn;
    }

    this.workflows = Object.fromEntries(
      Object.values(workflows).map((spec) => [
        spec.name,
        new PlatformWorkflow(this, `${pascal(spec.name)}Workflow`, { spec, functions: this.functions, deletionProtection }),
      ]),
    ) as Record<WorkflowName, PlatformWorkflow>;

    this.api = new PlatformHttpApi(this, 'HttpApi', {
      routes: cloudRoutes,
      functions: this.functions,
      webOrigin: props.webOrigin,
      deletionProtection,
      authDomainPrefix: props.authDomainPrefix,
    });

    for (const [name, spec] of deployed) {
      const fn = this.functions[name]!;
      for (const workflow of spec.startsWorkflows ?? []) fn.startsWorkflow(this.workflows[workflow]);
      for (const workflow of spec.describesWorkflows ?? []) fn.describesWorkflow(this.workflows[workflow]);
      for (const workflow of spec.sendsTaskResults ?? []) fn.sendsTaskResultsTo(this.workflows[workflow]);
      if (spec.verifiesTokens) fn.verifiesTokensFrom(this.api.tokens);
      if (spec.managesOfficials) fn.managesOfficialsIn(this.api.userPool);
    }

    this.schedules = schedules.map((spec) => {
      const target = this.functions[spec.target];
      if (!target) throw new Error(`Schedule ${spec.name}: function ${spec.target} is not deployed`);
      return new PlatformSchedule(this, `${pascal(spec.name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()))}Schedule`, { spec, target });
    });

    this.web = new WebSite(this, 'Web', {
      api: this.api.api,
      originVerify,
      accessLogs,
      webAclArn: props.webAclArn,
      deletionProtection,
      signIn: { userPool: this.api.userPool, domain: this.api.domain, webOrigin: props.webOrigin, readAttributes: officialReadAttributes() },
    });
    this.api.acceptClient(this.web.client);

    new CfnOutput(this, 'WebUrl', { value: `https://${this.web.distribution.distributionDomainName}` });
    new CfnOutput(this, 'ApiUrl', { value: this.api.url });
    new CfnOutput(this, 'UserPoolId', { value: this.api.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.api.client.userPoolClientId });
    new CfnOutput(this, 'JwtIssuer', { value: this.api.tokens.issuer });
    new CfnOutput(this, 'AuthDomain', { value: this.web.runtimeConfig.authDomain });
    new CfnOutput(this, 'WebSignInClientId', { value: this.web.client.userPoolClientId });
  }
}
