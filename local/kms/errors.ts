/**
 * A KMS error answer in the JSON 1.1 protocol: HTTP status and `__type`, from which the SDK builds the
 * same exception class it throws in AWS (InvalidCiphertextException, NotFoundException, ...).
 */
export class KmsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    /** KMS answers 400 for client errors; 500 only for KMSInternalException. */
    readonly status = 400,
  ) {
    super(message);
  }
}
