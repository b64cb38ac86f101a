/**
 * Configuration is read once, when a module loads, and a missing value fails the cold start at once
 * rather than the first request that needs it.
 */
import { tableEnvVar, type TableName } from '../../lib/spec/tables';
import { workflowEnvVar } from '../../lib/spec/functions';
import type { WorkflowName } from '../../lib/spec/workflows';

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Missing configuration: environment variable ${name} is not set`);
  return value;
}

export const tableNameFor = (table: TableName): string => requireEnv(tableEnvVar(table));
export const workflowArnFor = (workflow: WorkflowName): string => requireEnv(workflowEnvVar(workflow));
