import { Annotations, Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import type { FunctionName } from '../spec/functions';
import type { RouteSpec } from '../spec/routes';

/** What a function needs to verify an official's token itself (all public values). */
export interface OfficialTokenIssuer {
  issuer: string;
  /** Comma-separated client ids (an ID token's aud is its client's id). */
  audience: string;
}

export interface PlatformHttpApiProps {
  /** Cloud routes only: the caller passes `cloudRoutes`; a localOnly route here is a bug and fails synth. */
  routes: RouteSpec[];
  functions: Partial<Record<FunctionName, lambda.IFunction>>;
  /** The web front end's origin for CORS, e.g. https://jianfu.example.gov.cn. */
  webOrigin?: string;
  deletionProtection: boolean;
  /** The prefix of the Cognito domain of the hosted sign-in UI (https://<prefix>.auth.<region>.amazoncognito.com). */
  authDomainPrefix: string;
}

/** Custom attributes every official carries; the handlers read them from the verified token. */
export const OFFICIAL_ATTRIBUTES = ['role', 'unit', 'department', 'schoolId'] as const;

/** What an app client may read: the ID token carries these (the custom ones are what the handlers need). */
export const officialReadAttributes = (): cognito.ClientAttributes =>
  new cognito.ClientAttributes().withStandardAttributes({ email: true, emailVerified: true }).withCustomAttributes(...OFFICIAL_ATTRIBUTES);

/**
 * The HTTP API (payload format 2.0) generated from the route table, with the Cognito user pool of the
 * officials and a JWT authorizer on every `official` route.
 */
export class PlatformHttpApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  /** The Cognito prefix domain of the hosted UI (the web site's client signs in through it). */
  readonly domain: cognito.UserPoolDomain;
  readonly tokens: OfficialTokenIssuer;
  /** The client ids whose tokens the JWT authorizer and the handlers accept (aud of an ID token = its client id). */
  private readonly audiences: string[] = [];

  constructor(scope: Construct, id: string, props: PlatformHttpApiProps) {
    super(scope, id);
    const removalPolicy = props.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.userPool = new cognito.UserPool(this, 'Officials', {
      // Accounts are created by administrators only.
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      standardAttributes: { email: { required: false, mutable: true } },
      customAttributes: Object.fromEntries(
        OFFICIAL_ATTRIBUTES.map((name) => [name, new cognito.StringAttribute({ mutable: true, maxLen: 64 })]),
      ),
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // TOTP only: SMS would need an SNS role and a sender registration.
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // Essentials: no threat protection (Plus) for now.
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      deletionProtection: props.deletionProtection,
      removalPolicy,
    });
    // cdk-nag (test/infra/cdk-nag.test.ts).
    NagSuppressions.addResourceSuppressions(this.userPool, [
      {
        id: 'AwsSolutions-COG2',
        reason: 'MFA is OPTIONAL (TOTP) for now: officials are created by administrators with a 12-character complex password policy; requiring MFA for every official is a rollout decision not yet taken (the pool is TOTP-ready, switch to Mfa.REQUIRED).',
      },
      {
        id: 'AwsSolutions-COG8',
        reason: 'Essentials feature plan on purpose (Plus, with threat protection, is billed per monthly active user): accounts are created by administrators only, with a strong password policy and optional TOTP; threat protection is a later decision.',
      },
    ]);

    this.client = this.userPool.addClient('WebClient', {
      authFlows: { userSrp: true },
      generateSecret: false,
      // No hosted UI yet: without this CDK would enable the implicit and code grants with example.com callbacks.
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      readAttributes: officialReadAttributes(),
      // Never the custom attributes: an official must not be able to change their own role or scope.
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true }),
    });

    this.audiences.push(this.client.userPoolClientId);

    // The hosted UI's domain; the web site adds its own client (code grant + PKCE) with its URL as callback.
    this.domain = this.userPool.addDomain('HostedUi', { cognitoDomain: { domainPrefix: props.authDomainPrefix } });

    // ProviderURL rather than a hand-built cognito-idp.<region>.amazonaws.com: it also holds in the
    // China partition (amazonaws.com.cn).
    const issuer = `https://${this.userPool.userPoolProviderUrl}`;
    // Lazy: clients accepted later (the web site's, see acceptClient) reach the handlers' check too.
    this.tokens = { issuer, audience: Lazy.string({ produce: () => this.audiences.join(',') }) };

    if (!props.webOrigin) {
      Annotations.of(this).addWarningV2(
        'platform:cors-any-origin',
        'No webOrigin context: CORS allows any origin. Tolerable only because officials authenticate with a bearer token (no cookies, no credentials mode), so another site cannot act as a signed-in user; set -c webOrigin=https://... for real stages.',
      );
    }

    this.api = new apigw.HttpApi(this, 'Api', {
      apiName: `${Stack.of(this).stackName}-api`,
      description: 'Double Reduction platform API (routes from lib/spec/routes.ts)',
      // The stage is created below with throttling and access logs.
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [props.webOrigin ?? '*'],
        allowMethods: [
          apigw.CorsHttpMethod.GET,
          apigw.CorsHttpMethod.POST,
          apigw.CorsHttpMethod.PUT,
          apigw.CorsHttpMethod.PATCH,
          apigw.CorsHttpMethod.DELETE,
          apigw.CorsHttpMethod.OPTIONS,
        ],
        allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-access-code'],
        allowCredentials: false,
        maxAge: Duration.hours(1),
      },
    });

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy,
    });
    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      // Caps a flood of anonymous complaints before it reaches Lambda and DynamoDB.
      throttle: { burstLimit: 200, rateLimit: 100 },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            path: '$context.path',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });

    const officialAuthorizer = new HttpJwtAuthorizer('OfficialJwt', issuer, {
      // Lazy: clients added after the routes (the web site's, see acceptClient) are accepted too.
      jwtAudience: Lazy.list({ produce: () => this.audiences }),
      identitySource: ['$request.header.Authorization'],
    });
    // Explicit NONE on public routes, so a default authorizer added later cannot silently lock them.
    const publicAuthorizer = new apigw.HttpNoneAuthorizer();

    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    for (const route of props.routes) {
      if (route.localOnly) {
        throw new Error(`Route ${route.method} ${route.path} is localOnly and must never be deployed`);
      }
      const fn = props.functions[route.function];
      if (!fn) {
        throw new Error(`Route ${route.method} ${route.path}: function ${route.function} is not deployed`);
      }
      let integration = integrations.get(route.function);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${route.function}Integration`, fn, {
          payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
        });
        integrations.set(route.function, integration);
      }
      const added = this.api.addRoutes({
        path: route.path,
        methods: [apigw.HttpMethod[route.method]],
        integration,
        authorizer: route.auth === 'official' ? officialAuthorizer : publicAuthorizer,
      });
      if (route.auth !== 'official') {
        // cdk-nag (test/infra/cdk-nag.test.ts); the official routes carry the JWT authorizer.
        NagSuppressions.addResourceSuppressions(added, [
          {
            id: 'AwsSolutions-APIG4',
            reason: `${route.method} ${route.path} is public by design (auth: '${route.auth}' in lib/spec/routes.ts): citizens file and track complaints, answer surveys and read notices without an account; the stage throttles these routes.`,
          },
        ]);
      }
    }
  }

  /**
   * The JWT authorizer, and the handlers that verify the token again (JWT_AUDIENCE, a comma-separated
   * list: lambdas/platform/auth.ts), also accept ID tokens of this client.
   */
  acceptClient(client: cognito.IUserPoolClient): void {
    this.audiences.push(client.userPoolClientId);
  }

  /** The base URL of the API (the `$default` stage). */
  get url(): string {
    return this.stage.url;
  }
}
