/**
 * Where officials' accounts live: the Cognito user pool in AWS (OFFICIALS_USER_POOL_ID, set by CDK on
 * the functions that manage officials), local accounts in the registry on one machine (no pool: the
 * password hash is kept on the user's item and POST /api/auth/login checks it). One client at module
 * scope, created only where a pool is configured.
 */
import { AdminCreateUserCommand, AdminDeleteUserCommand, AdminDisableUserCommand, AdminEnableUserCommand, AdminUpdateUserAttributesCommand, CognitoIdentityProviderClient, UsernameExistsException } from '@aws-sdk/client-cognito-identity-provider';
import type { Official } from '../domain/registry/schemas';

const POOL_ID = process.env.OFFICIALS_USER_POOL_ID;
const cognito = POOL_ID ? new CognitoIdentityProviderClient({}) : undefined;

export const officialsInCognito = (): boolean => cognito !== undefined;

export class AccountExistsError extends Error {}

/** A Cognito account with the official's scope as custom attributes and the initial password as its temporary one (nothing is e-mailed). */
export async function createCognitoAccount(official: Official & { displayName: string }, temporaryPassword: string): Promise<void> {
  if (!cognito) throw new Error('no user pool configured');
  const attributes: Record<string, string | undefined> = {
    name: official.displayName,
    'custom:role': official.role,
    'custom:unit': official.unit,
    'custom:department': official.department,
    'custom:schoolId': official.schoolId,
  };
  try {
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: POOL_ID,
        Username: official.username,
        TemporaryPassword: temporaryPassword,
        MessageAction: 'SUPPRESS',
        UserAttributes: Object.entries(attributes)
          .filter((a): a is [string, string] => a[1] !== undefined)
          .map(([Name, Value]) => ({ Name, Value })),
      }),
    );
  } catch (err) {
    if (err instanceof UsernameExistsException) throw new AccountExistsError(official.username);
    throw err;
  }
}

/** Undoes a creation whose registry write failed, so a retry can succeed. */
export async function deleteCognitoAccount(username: string): Promise<void> {
  await cognito?.send(new AdminDeleteUserCommand({ UserPoolId: POOL_ID, Username: username }));
}

export async function disableCognitoAccount(username: string): Promise<void> {
  await cognito?.send(new AdminDisableUserCommand({ UserPoolId: POOL_ID, Username: username }));
}

export async function enableCognitoAccount(username: string): Promise<void> {
  await cognito?.send(new AdminEnableUserCommand({ UserPoolId: POOL_ID, Username: username }));
}

/** The new name, role and scope as the account's attributes (a scope the role has not becomes empty: the token then carries none). */
export async function updateCognitoAccount(official: Official & { displayName: string }): Promise<void> {
  await cognito?.send(
    new AdminUpdateUserAttributesCommand({
      UserPoolId: POOL_ID,
      Username: official.username,
      UserAttributes: [
        { Name: 'name', Value: official.displayName },
        { Name: 'custom:role', Value: official.role },
        { Name: 'custom:unit', Value: official.unit ?? '' },
        { Name: 'custom:department', Value: official.department ?? '' },
        { Name: 'custom:schoolId', Value: official.schoolId ?? '' },
      ],
    }),
  );
}
