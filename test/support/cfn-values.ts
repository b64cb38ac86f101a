/**
 * A plausible deploy-time value for a CloudFormation expression (Ref, GetAtt, Join) of a synthesized
 * template, as CloudFormation would resolve it: used to give a handler the environment CDK gives it
 * (test/infra/function-environment.test.ts, bench/cold-start.ts).
 */
export function resolveCfnValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const [[fn, arg]] = Object.entries(value);
    if (fn === 'Ref') {
      const pseudo: Record<string, string> = { 'AWS::Region': 'cn-north-1', 'AWS::URLSuffix': 'amazonaws.com.cn', 'AWS::Partition': 'aws-cn', 'AWS::AccountId': '123456789012' };
      return pseudo[String(arg)] ?? `ref-${String(arg).toLowerCase()}`;
    }
    if (fn === 'Fn::GetAtt') return `arn:aws-cn:resource:cn-north-1:123456789012:${String((arg as string[])[0]).toLowerCase()}`;
    if (fn === 'Fn::Join') {
      const [sep, parts] = arg as [string, unknown[]];
      return parts.map(resolveCfnValue).join(sep);
    }
  }
  throw new Error(`cannot resolve ${JSON.stringify(value)}`);
}
