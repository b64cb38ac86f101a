/**
 * In AWS an official created by the admin becomes a Cognito account (AdminCreateUser) with the scope as
 * custom attributes and the answered initial password as its temporary one; nothing is e-mailed. A
 * failed registry write undoes the account; an existing username is a 409; disabling disables it.
 */
process.env.OFFICIALS_USER_POOL_ID = 'cn-north-1_Officials';
process.env.REGISTRY_TABLE ??= 'registry-test';

import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { AdminCreateUserCommand, AdminDeleteUserCommand, AdminDisableUserCommand, AdminEnableUserCommand, AdminUpdateUserAttributesCommand, CognitoIdentityProviderClient, UsernameExistsException } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';

/* eslint-disable @typescript-eslint/no-require-imports */
const { createUser, disableUser, enableUser, updateUser } = require('../../../lambdas/domain/registry/admin') as typeof import('../../../lambdas/domain/registry/admin');
/* eslint-enable @typescript-eslint/no-require-imports */

const cognito = mockClient(CognitoIdentityProviderClient);
const ddb = mockClient(DynamoDBDocumentClient);
const admin = { username: 'admin', role: 'admin' as const };
const request = { username: 'li.g2', displayName: '李主任', role: 'group_officer' as const, unit: 'group_2' as const };

beforeEach(() => {
  cognito.reset();
  ddb.reset();
});

describe('an official created in AWS', () => {
  it('is a Cognito account with its scope and the initial password as temporary password, and the registry keeps no password', async () => {
    cognito.on(AdminCreateUserCommand).resolves({});
    ddb.on(TransactWriteCommand).resolves({});
    const user = await createUser(admin, request);
    expect(cognito).toHaveReceivedCommandWith(AdminCreateUserCommand, {
      UserPoolId: 'cn-north-1_Officials',
      Username: 'li.g2',
      TemporaryPassword: user.initialPassword,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'name', Value: '李主任' },
        { Name: 'custom:role', Value: 'group_officer' },
        { Name: 'custom:unit', Value: 'group_2' },
      ],
    });
    const items = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems ?? [];
    const userItem = items.find((i) => i.Put?.Item?.entity === 'user')?.Put?.Item;
    expect(userItem).toMatchObject({ username: 'li.g2', role: 'group_officer', unit: 'group_2', disabled: false });
    expect(userItem).not.toHaveProperty('passwordHash');
    expect(items.some((i) => i.Put?.Item?.entity === 'audit')).toBe(true);
  });

  it('is a 409 when the username is taken in the pool, and nothing is written', async () => {
    cognito.on(AdminCreateUserCommand).rejects(new UsernameExistsException({ message: 'exists', $metadata: {} }));
    await expect(createUser(admin, request)).rejects.toMatchObject({ statusCode: 409, code: 'user_exists' });
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('is undone in Cognito when its registry write fails, so a retry can succeed', async () => {
    cognito.on(AdminCreateUserCommand).resolves({});
    ddb.on(TransactWriteCommand).rejects(new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }] }));
    await expect(createUser(admin, request)).rejects.toMatchObject({ statusCode: 409 });
    expect(cognito).toHaveReceivedCommandWith(AdminDeleteUserCommand, { UserPoolId: 'cn-north-1_Officials', Username: 'li.g2' });
  });

  it('is disabled in Cognito before the registry says so', async () => {
    ddb.on(GetCommand).resolves({ Item: { pk: 'USER#li.g2', sk: 'USER', username: 'li.g2', role: 'group_officer', unit: 'group_2' } });
    ddb.on(TransactWriteCommand).resolves({});
    cognito.on(AdminDisableUserCommand).resolves({});
    await disableUser(admin, 'li.g2');
    expect(cognito).toHaveReceivedCommandWith(AdminDisableUserCommand, { UserPoolId: 'cn-north-1_Officials', Username: 'li.g2' });
  });

  it('is enabled in Cognito only after the registry says so, so a failed enable leaves the account refused', async () => {
    ddb.on(GetCommand).resolves({ Item: { pk: 'USER#li.g2', sk: 'USER', username: 'li.g2', role: 'group_officer', unit: 'group_2', disabled: true } });
    ddb.on(TransactWriteCommand).rejects(new Error('throttled'));
    cognito.on(AdminEnableUserCommand).resolves({});
    await expect(enableUser(admin, 'li.g2')).rejects.toThrow('throttled');
    expect(cognito).not.toHaveReceivedCommand(AdminEnableUserCommand);
    ddb.on(TransactWriteCommand).resolves({});
    await enableUser(admin, 'li.g2');
    expect(cognito).toHaveReceivedCommandWith(AdminEnableUserCommand, { UserPoolId: 'cn-north-1_Officials', Username: 'li.g2' });
  });

  it('moved to another scope gets the new attributes after the registry, the old scope emptied so new tokens carry none', async () => {
    ddb.on(GetCommand).resolves({ Item: { pk: 'USER#li.g2', sk: 'USER', username: 'li.g2', role: 'department_officer', department: 'education' } });
    ddb.on(TransactWriteCommand).resolves({});
    cognito.on(AdminUpdateUserAttributesCommand).resolves({});
    await updateUser(admin, 'li.g2', { displayName: '李主任', role: 'department_officer', department: 'education' });
    const update = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems?.[0]?.Update;
    expect(update?.UpdateExpression).toMatch(/REMOVE/);
    expect(cognito).toHaveReceivedCommandWith(AdminUpdateUserAttributesCommand, {
      UserPoolId: 'cn-north-1_Officials',
      Username: 'li.g2',
      UserAttributes: [
        { Name: 'name', Value: '李主任' },
        { Name: 'custom:role', Value: 'department_officer' },
        { Name: 'custom:unit', Value: '' },
        { Name: 'custom:department', Value: 'education' },
        { Name: 'custom:schoolId', Value: '' },
      ],
    });
  });
});
