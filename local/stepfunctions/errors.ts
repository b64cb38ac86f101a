// Errors of two kinds: API errors (answered as HTTP 400 {"__type", "message"} like the real service) and
// errors thrown into aws-local-stepfunctions from task handlers, whose `name` is what Retry/Catch match.
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';

export class SfnApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

/** A task failure as Step Functions reports it: Error (matched by Retry/Catch) and Cause. */
export function taskFailure(error: string, cause: string): Error {
  const err = new Error(cause);
  err.name = error;
  return err;
}

/**
 * Thrown into a run that this engine abandons (stop(), StopExecution, execution timeout): neither
 * retryable nor catchable, so the library unwinds at once instead of following Retry/Catch.
 */
export class AbandonedError extends Error {
  readonly isRetryable = false;
  readonly isCatchable = false;
  constructor() {
    super('Execution abandoned by the local engine');
    this.name = 'LocalEngine.Abandoned';
  }
}

type ErrorCtor = new () => Error;
let timeoutCtor: Promise<ErrorCtor> | undefined;

/**
 * The library exempts States.Timeout from the States.TaskFailed wildcard only for instances of its own
 * (unexported) StatesTimeoutError class. We obtain that class once by letting a throwaway 1 ms Task time
 * out, so that our own timeouts are matched exactly as AWS matches them.
 */
export function statesTimeoutErrorClass(): Promise<ErrorCtor> {
  timeoutCtor ??= (async () => {
    const def = {
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: 'arn:aws:lambda:local:000000000000:function:probe', TimeoutSeconds: 0.001, End: true } },
    } as unknown as StateMachineDefinition;
    const sm = new StateMachine(def, { validationOptions: { noValidate: true } });
    let release: () => void = () => undefined;
    const run = sm.run(null, { overrides: { taskResourceLocalHandlers: { T: () => new Promise<null>((r) => (release = () => r(null))) } } });
    try {
      await run.result;
    } catch (err) {
      const cause = err instanceof Error ? err.cause : undefined;
      if (cause instanceof Error && cause.name === 'States.Timeout') return cause.constructor as ErrorCtor;
      throw new Error(`Could not obtain the library's States.Timeout error: ${String(err)}`);
    } finally {
      release();
    }
    throw new Error("The library's timeout probe did not time out");
  })();
  return timeoutCtor;
}
