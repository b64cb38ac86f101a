/**
 * State machines: one ASL file each (JSONPath only), with ${Substitutions} for the ARNs of the functions
 * it invokes. CDK fills them with real ARNs (definitionSubstitutions); the local Step Functions endpoint
 * fills them with local ARNs that it maps back to the same handler files.
 */
import type { FunctionName } from './functions';

export type WorkflowName = 'complaint';

export interface WorkflowSpec {
  name: WorkflowName;
  /** ASL file, relative to the project root. */
  definitionFile: string;
  /** Substitution variable → the function whose ARN fills it. */
  functionArns: Record<string, FunctionName>;
}

export const workflows: Record<WorkflowName, WorkflowSpec> = {
  complaint: {
    name: 'complaint',
    definitionFile: 'lib/workflows/complaint.asl.json',
    functionArns: {
      TriageFunctionArn: 'triage',
      OpenTaskFunctionArn: 'openTask',
      StartRectificationFunctionArn: 'startRectification',
      CloseCaseFunctionArn: 'closeCase',
      RaiseLedgerItemFunctionArn: 'raiseLedgerItem',
    },
  },
};
